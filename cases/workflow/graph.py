"""The workflow's moves as data: which step takes a case (or a coercive measure) from which state to which.

One declarative table per kind of procedure. The public procedure flowcharts (disclosure.flowcharts)
are drawn from it, and tests/disclosure/test_flowcharts.py reads the workflow's own source to
check that the table and the code agree both ways: every ``transition(case, …, CaseState.X)`` (and
every case created in a state) made by a step function is an edge here, every edge here is made
by the code, and every state of ``CaseState`` and ``MeasureState`` is on a chart. A new state or a
new move in cases.workflow without a line here fails that test, so the public chart cannot drift.

Edge labels come from the workflow's own step table (cases.workflow.actions.STEPS) when the step
is there, so the case page and the chart name a step the same way.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cases.models import CaseState, MeasureState


@dataclass(frozen=True)
class Edge:
    step: str  # the function in cases.workflow that makes the move
    source: str | None  # None: the step creates the record in `target`
    target: str
    article: str = ""
    label: str = ""  # only for steps that cases.workflow.actions.STEPS does not list


@dataclass(frozen=True)
class Flow:
    key: str
    title: str
    summary: str
    states: type  # the TextChoices of the nodes
    edges: tuple
    # Steps that act inside a state without moving it (shown in the text list under the state).
    within: dict = field(default_factory=dict)

    def nodes(self):
        """The states on this chart, in the order of the choices."""
        used = {e.target for e in self.edges} | {e.source for e in self.edges if e.source}
        return [s for s in self.states if s.value in used]


S = CaseState
M = MeasureState

_AFTER_DECISION = (
    Edge("serve_decision", S.DECIDED, S.SERVED, "《行政处罚法》第六十一条"),
    Edge("serve_decision", S.DECIDED, S.EXECUTING, "《行政处罚法》第六十一条、第六十七条"),
    Edge("close_case", S.DECIDED, S.CLOSED),
    Edge("close_case", S.SERVED, S.CLOSED),
    Edge("close_case", S.EXECUTING, S.CLOSED, "《行政处罚法》第六十七条、第七十二条"),
    Edge("archive_case", S.CLOSED, S.ARCHIVED, "《行政处罚法》第四十七条"),
)

ORDINARY = Flow(
    key="ordinary",
    title=_("行政处罚普通程序"),
    summary=_("立案、调查取证、事先告知、听证、法制审核、集体讨论、决定、送达、执行、结案、归档。"),
    states=CaseState,
    edges=(
        Edge("register_lead", None, S.LEAD, label=_("登记线索")),
        Edge("approve_filing", S.LEAD, S.INVESTIGATING, "《行政处罚法》第五十四条"),
        Edge("decline_filing", S.LEAD, S.NOT_FILED),
        Edge("complete_investigation", S.INVESTIGATING, S.UNDER_REVIEW, "《行政处罚法》第五十五条"),
        Edge("give_prior_notice", S.UNDER_REVIEW, S.NOTIFIED, "《行政处罚法》第四十四条"),
        Edge("request_hearing", S.NOTIFIED, S.HEARING, "《行政处罚法》第六十三条、第六十四条"),
        Edge("proceed_to_decision", S.NOTIFIED, S.LEGAL_REVIEW, "《行政处罚法》第五十八条"),
        Edge("proceed_to_decision", S.HEARING, S.LEGAL_REVIEW, "《行政处罚法》第五十八条"),
        Edge("proceed_to_decision", S.UNDER_REVIEW, S.LEGAL_REVIEW, "《行政处罚法》第五十八条"),
        Edge("proceed_to_decision", S.NOTIFIED, S.DELIBERATION, "《行政处罚法》第五十七条第二款"),
        Edge("proceed_to_decision", S.HEARING, S.DELIBERATION, "《行政处罚法》第五十七条第二款"),
        Edge("proceed_to_decision", S.UNDER_REVIEW, S.DELIBERATION, "《行政处罚法》第五十七条第二款"),
        Edge("proceed_to_decision", S.NOTIFIED, S.PENDING_DECISION),
        Edge("proceed_to_decision", S.HEARING, S.PENDING_DECISION),
        Edge("proceed_to_decision", S.UNDER_REVIEW, S.PENDING_DECISION),
        Edge("resubmit_after_return", S.INVESTIGATING, S.LEGAL_REVIEW, "《行政处罚法》第五十八条"),
        Edge("give_legal_review", S.LEGAL_REVIEW, S.DELIBERATION, "《行政处罚法》第五十八条"),
        Edge("give_legal_review", S.LEGAL_REVIEW, S.PENDING_DECISION, "《行政处罚法》第五十八条"),
        Edge("give_legal_review", S.LEGAL_REVIEW, S.INVESTIGATING, "《行政处罚法》第五十八条"),
        Edge("record_deliberation", S.DELIBERATION, S.PENDING_DECISION, "《行政处罚法》第五十七条第二款"),
        Edge("decide", S.PENDING_DECISION, S.DECIDED, "《行政处罚法》第五十七条"),
        *_AFTER_DECISION,
    ),
    within={
        S.INVESTIGATING: ("add_party", "extend_decision_period", "impose_measure"),
        S.NOTIFIED: ("record_statement", "waive_statement"),
        S.HEARING: ("schedule_hearing", "record_hearing"),
        S.EXECUTING: ("approve_payment_arrangement", "record_payment", "apply_to_court"),
    },
)

SUMMARY = Flow(
    key="summary",
    title=_("行政处罚简易程序（当场处罚）"),
    summary=_(
        "违法事实确凿并有法定依据，对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告的，可以当场作出处罚决定。"
    ),
    states=CaseState,
    edges=(
        Edge(
            "decide_on_the_spot", None, S.DECIDED, "《行政处罚法》第五十一条、第五十二条", label=_("当场作出处罚决定")
        ),
        *_AFTER_DECISION,
    ),
    within={S.DECIDED: ("report_summary_case",)},
)

COERCION = Flow(
    key="coercion",
    title=_("行政强制措施（查封、扣押）"),
    summary=_(
        "经行政机关负责人批准，制作并当场交付查封、扣押决定书和清单；期限不超过三十日，情况复杂的经批准可延长不超过三十日。"
    ),
    states=MeasureState,
    edges=(
        Edge("impose_measure", None, M.IN_FORCE, "《行政强制法》第十八条、第二十四条、第二十五条"),
        Edge("end_measure", M.IN_FORCE, M.RELEASED, "《行政强制法》第二十七条、第二十八条", label=_("解除查封、扣押")),
        Edge("end_measure", M.IN_FORCE, M.DISPOSED, "《行政强制法》第二十七条", label=_("依法处理（没收、销毁）")),
    ),
    within={M.IN_FORCE: ("extend_measure", "record_measure_testing")},
)

FLOWS = {flow.key: flow for flow in (ORDINARY, SUMMARY, COERCION)}

# Labels of the steps that cases.workflow.actions.STEPS does not list.
EXTRA_STEP_LABELS = {
    "extend_measure": _("延长查封、扣押期限"),
    "record_measure_testing": _("检测、检验、鉴定（期间不计入期限）"),
    "end_measure": _("解除或依法处理"),
}


def step_labels():
    """{step name: label}: the workflow's own step table, then the labels of this module."""
    from cases.workflow.actions import STEPS

    labels = {name: label for name, label, _shows, _guard in STEPS}
    labels.update(EXTRA_STEP_LABELS)
    return labels


def edge_label(edge, labels=None):
    if edge.label:
        return edge.label
    labels = labels if labels is not None else step_labels()
    return labels.get(edge.step, edge.step)
