"""What comes next on a case, and what blocks it: `available_actions(case, officer)`.

Each ordinary-procedure step has one guard here: the checks that can be made before the officer
fills in the step's form (state, role, preconditions such as an approved legal review). The
workflow step runs the same guard (stopping at the first refusal) before its input checks, and
`available_actions` runs it collecting every refusal, so the case page and the API show exactly
the messages the step would raise. Nothing here writes.

The steps owned by the execution, summary and coercion modules are listed with simple state and
role conditions so that the case page shows the whole path; their own modules make the full checks.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.errors import WorkflowError
from cases.models import CaseState, DecisionKind, Procedure, ReviewOutcome
from cases.rules.procedure import (
    check_review_approved,
    check_reviewer,
    check_statement_period_over,
    needs_deliberation,
    related_or_none,
)
from lawenforce.models import PenaltyKind

from ._base import lock_case, require_head, require_same_agency, require_state  # noqa: F401 (lock_case re-exported)

__all__ = ["Action", "available_actions"]

S = CaseState
BEFORE_DECISION = (
    S.INVESTIGATING,
    S.UNDER_REVIEW,
    S.NOTIFIED,
    S.HEARING,
    S.LEGAL_REVIEW,
    S.DELIBERATION,
    S.PENDING_DECISION,
)


@dataclass
class Action:
    name: str
    label: str
    allowed: bool
    reasons: list[str] = field(default_factory=list)


class Checks:
    """Runs checks for one actor on one case: raising the first refusal (a workflow step), or
    collecting every refusal (`collect=True`, for available_actions)."""

    def __init__(self, case, actor, *, collect=False, on_date=None):
        self.case = case
        self.actor = actor
        self.collect = collect
        self.on_date = on_date or timezone.localdate()
        self.reasons = []
        self._handler_ids = None

    def __call__(self, check, *args, **kwargs):
        """Run one check; True when it passes."""
        try:
            check(*args, **kwargs)
        except WorkflowError as exc:
            if not self.collect:
                raise
            self.reasons.append(exc.text)
            return False
        return True

    @property
    def ok(self):
        return not self.reasons

    @property
    def handler_ids(self):
        if self._handler_ids is None:
            self._handler_ids = {h.pk for h in self.case.handlers.all()}
        return self._handler_ids

    # Role checks, reading the handlers once per Checks.
    def agency(self):
        return self(require_same_agency, self.case, self.actor)

    def head(self, what):
        return self(require_head, self.case, self.actor, what)

    def handler(self, *, or_head=False, or_officer=None):
        if not self.agency():
            return False
        actor = self.actor
        if actor.pk in self.handler_ids or (or_head and actor.is_agency_head):
            return True
        if or_officer is not None and actor.pk == or_officer:
            return True
        return self(_refuse_not_handler)


def _refuse_not_handler():
    raise WorkflowError(_("只有本案承办人员才能办理此环节。"), code="handler_required")


def latest_review(case):
    reviews = list(case.legal_reviews.all())
    return max(reviews, key=lambda r: (r.submitted_at, r.pk)) if reviews else None


def proposes_no_penalty(case):
    kinds = case.proposed_penalty_kinds or []
    return bool(kinds) and all(k == PenaltyKind.NONE for k in kinds)


# --- Guards of the ordinary steps (used by the workflow functions) -------------------------------


def guard_add_party(c):
    if c(require_state, c.case, S.LEAD, S.INVESTIGATING, S.UNDER_REVIEW):
        c.agency()


def guard_approve_filing(c):
    if c(require_state, c.case, S.LEAD):
        c.head(_("立案"))


def guard_decline_filing(c):
    if c(require_state, c.case, S.LEAD):
        c.head(_("不予立案"))


def guard_extend_decision_period(c):
    if c(require_state, c.case, *BEFORE_DECISION):
        c.head(_("延长办案期限"))


def guard_complete_investigation(c):
    if not c(require_state, c.case, S.INVESTIGATING):
        return
    c.handler()
    c(_require_party, c.case)


def _require_party(case):
    if not case.parties.all():
        raise WorkflowError(
            _("本案尚未登记当事人，请先添加当事人再提出处理意见。"), code="no_party", article="《行政处罚法》第五十九条"
        )


def guard_resubmit_after_return(c):
    if not c(require_state, c.case, S.INVESTIGATING):
        return
    c.handler()
    c(_require_returned_review, c.case)


def _require_returned_review(case):
    review = latest_review(case)
    if review is None or review.outcome not in (ReviewOutcome.RETURNED, ReviewOutcome.DISAPPROVED):
        raise WorkflowError(
            _("本案没有被法制审核退回的记录；调查终结后请提交案件审核。"),
            code="no_returned_review",
            article="《行政处罚法》第五十八条",
        )


def guard_give_prior_notice(c):
    if c(require_state, c.case, S.UNDER_REVIEW):
        c.handler(or_head=True)


def _notice(case):
    notice = related_or_none(case, "prior_notice")
    if notice is None:
        raise WorkflowError(
            _("本案尚未事先告知，请先送达行政处罚告知书。"), code="no_prior_notice", article="《行政处罚法》第四十四条"
        )
    return notice


def guard_record_statement(c):
    if c(require_state, c.case, S.NOTIFIED):
        c.handler()


def guard_waive_statement(c):
    if c(require_state, c.case, S.NOTIFIED) and c.handler():
        c(_require_not_waived, c.case)


def _require_not_waived(case):
    if _notice(case).waived_on:
        raise WorkflowError(_("当事人已放弃陈述、申辩，无需重复登记。"), code="already_waived")


def guard_request_hearing(c, requested_on=None):
    from cases.rules.procedure import check_hearing_request_in_time

    if c(require_state, c.case, S.NOTIFIED) and c.handler():
        notice = related_or_none(c.case, "prior_notice")
        if c(_notice, c.case):
            c(check_hearing_request_in_time, notice, requested_on or c.on_date)


def guard_schedule_hearing(c):
    if c(require_state, c.case, S.HEARING) and c.head(_("组织听证")):
        c(_require_hearing_not_held, c.case)


def _require_hearing_not_held(case):
    hearing = related_or_none(case, "hearing")
    if hearing and hearing.held_on:
        raise WorkflowError(_("听证已于%(date)s举行。") % {"date": f"{hearing.held_on:%Y-%m-%d}"}, code="hearing_held")


def _require_hearing_scheduled(case):
    if related_or_none(case, "hearing") is None:
        raise WorkflowError(
            _("尚未安排听证，请先由机关负责人指定主持人并送达听证通知。"),
            code="hearing_not_scheduled",
            article="《行政处罚法》第六十四条",
        )


def guard_record_hearing(c):
    if not c(require_state, c.case, S.HEARING):
        return
    if not c(_require_hearing_scheduled, c.case):
        return
    c.handler(or_officer=c.case.hearing.host_id)
    c(_require_hearing_not_held, c.case)


def _require_hearing_held(case):
    hearing = related_or_none(case, "hearing")
    if hearing is None or not hearing.held_on:
        raise WorkflowError(
            _("当事人已申请听证，听证举行并制作笔录后才能作出决定。"),
            code="hearing_not_held",
            article="《行政处罚法》第六十四条",
        )


def guard_proceed_to_decision(c):
    case = c.case
    if case.state == S.UNDER_REVIEW and proposes_no_penalty(case):
        c.handler()
        return  # no penalty intended: no prior notice (《行政处罚法》第四十四条 concerns penalties)
    if not c(require_state, case, S.NOTIFIED, S.HEARING):
        return
    c.handler()
    if case.state == S.HEARING:
        c(_require_hearing_held, case)
    elif c(_notice, case):
        c(check_statement_period_over, case.prior_notice, c.on_date)


def guard_give_legal_review(c, review=None):
    case = c.case
    if not c(require_state, case, S.LEGAL_REVIEW):
        return
    c.agency()
    c(_require_pending_review, case, review)
    c(check_reviewer, c.actor, case, c.handler_ids)


def _require_pending_review(case, review=None):
    latest = latest_review(case)
    if latest is None or latest.outcome != ReviewOutcome.PENDING or (review is not None and review.pk != latest.pk):
        raise WorkflowError(_("这一轮法制审核已经结束或不是本案最新的审核，请刷新后重试。"), code="review_not_pending")


def guard_record_deliberation(c):
    if c(require_state, c.case, S.DELIBERATION):
        c.head(_("集体讨论"))


def guard_decide(c):
    case = c.case
    if not c(require_state, case, S.PENDING_DECISION):
        return
    c.head(_("作出行政处罚决定"))
    c(check_review_approved, case)
    c(_require_deliberation, case)


def _require_deliberation(case):
    deliberations = list(case.deliberations.all())
    if needs_deliberation(case) and not deliberations:
        raise WorkflowError(
            _("本案情节复杂、属重大违法行为或偏离裁量基准，应由机关负责人集体讨论决定；请先组织集体讨论。"),
            code="deliberation_missing",
            article="《行政处罚法》第五十七条第二款",
        )
    if (case.deviation_reason or "").strip() and not any(d.approves_deviation for d in deliberations):
        raise WorkflowError(
            _("拟处罚偏离裁量基准，须经机关负责人集体讨论同意并写明理由后才能决定。"),
            code="deviation_not_approved",
            article="《行政处罚法》第五十七条第二款",
        )


# --- Simple guards of the execution, summary and coercion steps (their modules check fully) -----


def _head_in(*states, what):
    def guard(c):
        if c(require_state, c.case, *states):
            c.head(what)

    return guard


def _officer_in(*states):
    def guard(c):
        if c(require_state, c.case, *states):
            c.agency()

    return guard


def _handler_in(*states):
    def guard(c):
        if c(require_state, c.case, *states):
            c.handler()

    return guard


def _guard_close_case(c):
    if c(require_state, c.case, S.DECIDED, S.SERVED, S.EXECUTING):
        c.head(_("结案"))


# --- The table of steps: name, label, when it shows, guard -------------------------------------


def _ordinary(case):
    return case.procedure == Procedure.ORDINARY


def _in(*states):
    return lambda case: case.state in states


def _has_returned_review(case):
    review = latest_review(case)
    return bool(review and review.outcome in (ReviewOutcome.RETURNED, ReviewOutcome.DISAPPROVED))


def _hearing_right_told(case):
    notice = related_or_none(case, "prior_notice")
    return bool(notice and notice.hearing_right and not notice.hearing_requested_on)


_NO_SERVICE = (DecisionKind.TRANSFER, DecisionKind.DISMISSED)

STEPS = [
    ("approve_filing", gettext_lazy("批准立案"), _in(S.LEAD), guard_approve_filing),
    ("decline_filing", gettext_lazy("不予立案"), _in(S.LEAD), guard_decline_filing),
    ("add_party", gettext_lazy("添加当事人"), _in(S.LEAD, S.INVESTIGATING, S.UNDER_REVIEW), guard_add_party),
    (
        "complete_investigation",
        gettext_lazy("调查终结，提出处理意见"),
        _in(S.INVESTIGATING),
        guard_complete_investigation,
    ),
    (
        "resubmit_after_return",
        gettext_lazy("补充后重新提交法制审核"),
        lambda case: case.state == S.INVESTIGATING and _has_returned_review(case),
        guard_resubmit_after_return,
    ),
    ("give_prior_notice", gettext_lazy("送达行政处罚告知书"), _in(S.UNDER_REVIEW), guard_give_prior_notice),
    ("record_statement", gettext_lazy("记录陈述申辩"), _in(S.NOTIFIED), guard_record_statement),
    ("waive_statement", gettext_lazy("当事人放弃陈述申辩"), _in(S.NOTIFIED), guard_waive_statement),
    (
        "request_hearing",
        gettext_lazy("登记听证申请"),
        lambda case: case.state == S.NOTIFIED and _hearing_right_told(case),
        guard_request_hearing,
    ),
    ("schedule_hearing", gettext_lazy("安排听证"), _in(S.HEARING), guard_schedule_hearing),
    ("record_hearing", gettext_lazy("记录听证"), _in(S.HEARING), guard_record_hearing),
    (
        "proceed_to_decision",
        gettext_lazy("提交审查决定"),
        lambda case: (
            case.state in (S.NOTIFIED, S.HEARING) or (case.state == S.UNDER_REVIEW and proposes_no_penalty(case))
        ),
        guard_proceed_to_decision,
    ),
    ("give_legal_review", gettext_lazy("法制审核"), _in(S.LEGAL_REVIEW), guard_give_legal_review),
    ("record_deliberation", gettext_lazy("集体讨论"), _in(S.DELIBERATION), guard_record_deliberation),
    ("decide", gettext_lazy("作出决定"), _in(S.PENDING_DECISION), guard_decide),
    (
        "extend_decision_period",
        gettext_lazy("延长办案期限"),
        lambda case: _ordinary(case) and case.state in BEFORE_DECISION,
        guard_extend_decision_period,
    ),
    (
        "impose_measure",
        gettext_lazy("查封、扣押"),
        lambda case: _ordinary(case) and case.state in (*BEFORE_DECISION, S.DECIDED, S.SERVED, S.EXECUTING),
        _head_in(*BEFORE_DECISION, S.DECIDED, S.SERVED, S.EXECUTING, what=gettext_lazy("查封、扣押")),
    ),
    (
        "serve_decision",
        gettext_lazy("送达决定书"),
        lambda case: _ordinary(case) and case.state == S.DECIDED and case.decision_kind not in _NO_SERVICE,
        _handler_in(S.DECIDED),
    ),
    (
        "approve_payment_arrangement",
        gettext_lazy("批准延期（分期）缴纳"),
        _in(S.EXECUTING),
        _head_in(S.EXECUTING, what=gettext_lazy("延期（分期）缴纳罚款")),
    ),
    ("record_payment", gettext_lazy("登记缴款"), _in(S.EXECUTING), _officer_in(S.EXECUTING)),
    (
        "apply_to_court",
        gettext_lazy("申请法院强制执行"),
        _in(S.EXECUTING),
        _head_in(S.EXECUTING, what=gettext_lazy("申请法院强制执行")),
    ),
    (
        "report_summary_case",
        gettext_lazy("当场处罚报备"),
        lambda case: case.procedure == Procedure.SUMMARY and not case.reported_on and case.state != S.ARCHIVED,
        _officer_in(S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED),
    ),
    (
        "close_case",
        gettext_lazy("结案"),
        lambda case: (
            case.state in (S.SERVED, S.EXECUTING)
            or (case.state == S.DECIDED and case.decision_kind in _nothing_to_execute())
        ),
        _guard_close_case,
    ),
    ("archive_case", gettext_lazy("立卷归档"), _in(S.CLOSED), _officer_in(S.CLOSED)),
]


def _nothing_to_execute():
    from cases import rules

    return getattr(rules, "NOTHING_TO_EXECUTE_KINDS", tuple(k for k in DecisionKind if k != DecisionKind.PENALTY))


def run_guard(guard, case, actor, **kwargs):
    """Run a step's guard for the workflow: raises the first refusal."""
    guard(Checks(case, actor, on_date=kwargs.pop("on_date", None)), **kwargs)


def available_actions(case, officer, *, on_date=None):
    """The steps that come next on `case`, each with whether `officer` may take it now and, if not,
    why (the same Chinese messages, with articles, that the step itself would raise).

    For list pages, prefetch `handlers`, `parties`, `legal_reviews`, `deliberations` and
    select `prior_notice` and `hearing` (see cases.deadlines.with_deadline_data)."""
    actions = []
    for name, label, shows, guard in STEPS:
        if not shows(case):
            continue
        checks = Checks(case, officer, collect=True, on_date=on_date)
        guard(checks)
        actions.append(Action(name, str(label), checks.ok, list(dict.fromkeys(checks.reasons))))
    return actions


# --- Shared by the workflow steps -------------------------------------------------------------


def save_with_reason(obj, reason):
    """Save a record with the change reason that django-simple-history keeps with the history row."""
    obj._change_reason = reason
    obj.save()
    return obj
