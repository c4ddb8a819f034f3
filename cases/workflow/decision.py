"""The decision period, collective deliberation (集体讨论) and the head's decision (决定)."""

from django.db import transaction
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import CaseState, DecisionKind, Deliberation, DocumentKind, Extension
from cases.numbering import next_document_number
from cases.rules.config import apl
from cases.rules.procedure import (
    check_decision_extension,
    check_deliberation_participants,
    check_discretion,
    check_minor,
    check_penalty_kinds,
    check_statement_period_over,
    related_or_none,
)
from lawenforce.models import PenaltyKind

from ._base import amount_or_none, record_event, transition
from .actions import (
    guard_decide,
    guard_extend_decision_period,
    guard_record_deliberation,
    lock_case,
    run_guard,
    save_with_reason,
)

__all__ = ["decide", "extend_decision_period", "record_deliberation"]

NO_PENALTY_KINDS = (
    DecisionKind.NO_PENALTY_MINOR,
    DecisionKind.NO_PENALTY_FIRST,
    DecisionKind.NO_PENALTY_NO_FAULT,
    DecisionKind.NOT_ESTABLISHED,
)
UNNUMBERED_KINDS = (DecisionKind.TRANSFER, DecisionKind.DISMISSED)


@transaction.atomic
def extend_decision_period(case, actor, *, days, reason, approved_on, by_deliberation=False):
    """Extend the 90-day decision period (APL 60): once ≤30 days by the head, further ones only by
    the heads' collective deliberation; approved before the period runs out."""
    from cases.deadlines import decision_due_on

    lock_case(case)
    run_guard(guard_extend_decision_period, case, actor)
    existing = list(case.extensions.all())
    check_decision_extension(existing, days, by_deliberation)
    if not (reason or "").strip():
        raise WorkflowError(_("请写明延长办案期限的理由。"), code="reason_required", article=apl(60), field="reason")
    if case.filed_on and approved_on < case.filed_on:
        raise WorkflowError(_("批准日期不能早于立案日期。"), code="approved_before_filing", field="approved_on")
    due = decision_due_on(case, extensions=existing)
    if due and approved_on > due:
        raise WorkflowError(
            _("办案期限已于%(date)s届满，延长应在期限届满前批准。") % {"date": f"{due:%Y-%m-%d}"},
            code="extension_too_late",
            article=apl(60),
            field="approved_on",
        )
    extension = Extension(
        case=case,
        days=days,
        reason=reason.strip(),
        approved_by=actor,
        approved_on=approved_on,
        by_deliberation=by_deliberation,
    )
    save_with_reason(extension, _("延长办案期限"))

    new_due = decision_due_on(case, extensions=[*existing, extension])
    record_event(
        case,
        actor,
        _("延长办案期限"),
        summary=_("延长%(days)d日%(how)s，期限至%(due)s：%(reason)s")
        % {
            "days": days,
            "how": _("（集体讨论决定）") if by_deliberation else "",
            "due": f"{new_due:%Y-%m-%d}" if new_due else "—",
            "reason": extension.reason,
        },
    )
    return extension


@transaction.atomic
def record_deliberation(
    case, actor, *, held_on, participants, conclusion, approves_deviation=False, deviation_reason=""
):
    """The heads' collective deliberation (APL 57(2)); a deviation from the discretion standard is
    approved only with a written reason."""
    lock_case(case)
    run_guard(guard_record_deliberation, case, actor)
    participants = list(dict.fromkeys(participants))
    check_deliberation_participants(participants, case.agency)
    if not (conclusion or "").strip():
        raise WorkflowError(
            _("请记录集体讨论的结论。"), code="conclusion_required", article=apl(57, 2), field="conclusion"
        )
    if approves_deviation and not (deviation_reason or "").strip():
        raise WorkflowError(
            _("同意偏离裁量基准的，应当写明书面理由。"),
            code="deviation_reason_required",
            article=f"{apl(34)}、{apl(57, 2)}",
            field="deviation_reason",
        )
    if case.filed_on and held_on < case.filed_on:
        raise WorkflowError(_("讨论日期不能早于立案日期。"), code="held_before_filing", field="held_on")
    deliberation = Deliberation(
        case=case,
        held_on=held_on,
        conclusion=conclusion.strip(),
        approves_deviation=bool(approves_deviation),
        deviation_reason=(deviation_reason or "").strip(),
    )
    save_with_reason(deliberation, _("集体讨论"))
    deliberation.participants.set(participants)
    summary = _("参加人员：%(names)s；结论：%(c)s") % {
        "names": "、".join(p.name for p in participants),
        "c": deliberation.conclusion,
    }
    if approves_deviation:
        summary += _("；同意偏离裁量基准")
    transition(case, actor, CaseState.PENDING_DECISION, _("集体讨论"), summary=summary)
    return deliberation


def _check_not_heavier(case, kinds, fine, confiscation):
    """APL 44, 45(2): not heavier than the notice told the party (and never for having defended)."""
    proposed = set(case.proposed_penalty_kinds or [])
    extra = [k for k in kinds if k not in proposed]
    heavier = []
    if extra:
        heavier.append(_("增加了处罚种类“%(k)s”") % {"k": "、".join(str(PenaltyKind(k).label) for k in extra)})
    if fine is not None and case.proposed_fine is not None and fine > case.proposed_fine:
        heavier.append(_("罚款高于告知的%(f)s元") % {"f": f"{case.proposed_fine:,.2f}"})
    if (
        confiscation is not None
        and case.proposed_confiscation is not None
        and confiscation > case.proposed_confiscation
    ):
        heavier.append(_("没收金额高于告知的%(f)s元") % {"f": f"{case.proposed_confiscation:,.2f}"})
    if heavier:
        raise WorkflowError(
            _(
                "决定重于事先告知的处罚（%(what)s）：不得因当事人陈述、申辩加重处罚；确需加重的，请重新调查终结并重新告知。"
            )
            % {"what": "；".join(heavier)},
            code="heavier_than_notified",
            article=f"{apl(44)}、{apl(45, 2)}",
        )


@transaction.atomic
def decide(case, actor, *, kind, decided_on, penalty_kinds=(), fine=None, confiscation=None, decision_text=""):
    """The head decides (pending_decision → decided) and the decision is numbered: 行政处罚决定书
    for a penalty, 不予行政处罚决定书 for no penalty; a transfer or dismissal has no number."""
    lock_case(case)
    run_guard(guard_decide, case, actor)
    if kind not in DecisionKind.values:
        raise WorkflowError(_("请选择决定类型。"), code="decision_kind_invalid", article=apl(57), field="kind")
    kind = DecisionKind(kind)
    if case.filed_on and decided_on < case.filed_on:
        raise WorkflowError(_("决定日期不能早于立案日期。"), code="decided_before_filing", field="decided_on")
    notice = related_or_none(case, "prior_notice")
    hearing = related_or_none(case, "hearing")
    if hearing and hearing.held_on and decided_on < hearing.held_on:
        raise WorkflowError(_("决定日期不能早于听证日期。"), code="decided_before_hearing", field="decided_on")
    fine, confiscation = amount_or_none(fine), amount_or_none(confiscation)
    if kind == DecisionKind.PENALTY:
        kinds = check_penalty_kinds(penalty_kinds)
        if PenaltyKind.NONE in kinds:
            raise WorkflowError(
                _("给予行政处罚的决定应选择处罚种类；不予处罚请选择相应的不予处罚决定类型。"),
                code="penalty_kinds_invalid",
                article=apl(57),
                field="penalty_kinds",
            )
        if notice is None:
            raise WorkflowError(
                _("作出行政处罚决定前，应当告知当事人拟作出的处罚内容及事实、理由、依据和陈述申辩、听证权利。"),
                code="no_prior_notice",
                article=f"{apl(44)}、{apl(62)}",
            )
        if not (hearing and hearing.held_on):
            check_statement_period_over(notice, decided_on)
        for party in case.parties.all():
            check_minor(party, case.violation_date)
        _check_not_heavier(case, kinds, fine, confiscation)
        check_discretion(
            case.discretion_standard, case.power_item, kinds, fine, case.fine_base_amount, case.deviation_reason
        )
        number_kind = DocumentKind.PENALTY_DECISION
    else:
        if [k for k in (penalty_kinds or []) if k != PenaltyKind.NONE] or fine or confiscation:
            raise WorkflowError(
                _("“%(kind)s”的决定不能同时给予处罚，请清空处罚种类和金额。") % {"kind": kind.label},
                code="penalty_in_no_penalty_decision",
                article=apl(57),
                field="penalty_kinds",
            )
        kinds, fine, confiscation = [], None, None
        number_kind = DocumentKind.NO_PENALTY_DECISION if kind in NO_PENALTY_KINDS else None
    case.decision_kind = kind
    case.decision_number = next_document_number(case.agency, number_kind, decided_on.year) if number_kind else ""
    case.decided_on = decided_on
    case.decided_by = actor
    case.penalty_kinds = [str(k) for k in kinds]
    case.fine_amount = fine
    case.confiscated_amount = confiscation
    case.decision_text = (decision_text or "").strip()
    summary = str(kind.label)
    if case.decision_number:
        summary = f"{case.decision_number}：{summary}"
    if kinds:
        summary += _("：%(k)s") % {"k": "、".join(str(PenaltyKind(k).label) for k in kinds)}
    if fine is not None:
        summary += _("，罚款%(f)s元") % {"f": f"{fine:,.2f}"}
    return transition(case, actor, CaseState.DECIDED, _("作出决定"), summary=summary)
