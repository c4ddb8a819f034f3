"""End of investigation (调查终结): the facts, the evidence and the proposed penalty."""

from django.db import transaction
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import CaseState
from cases.rules.config import apl
from cases.rules.procedure import check_discretion, check_minor, check_penalty_kinds
from lawenforce.models import PenaltyKind

from ._base import amount_or_none, transition
from .actions import guard_complete_investigation, lock_case, run_guard

__all__ = ["complete_investigation"]


@transaction.atomic
def complete_investigation(
    case,
    actor,
    *,
    facts,
    evidence_summary,
    discretion_standard=None,
    penalty_kinds,
    fine=None,
    confiscation=None,
    fine_base_amount=None,
    is_major=False,
    major_reason="",
    is_complex=False,
    deviation_reason="",
):
    """A handler ends the investigation and proposes the penalty (investigating → under_review).

    `deviation_reason` (optional, beyond the contract's list) is the written reason for a
    proposal outside the discretion standard; the case then needs collective deliberation."""
    lock_case(case)
    run_guard(guard_complete_investigation, case, actor)
    if not (facts or "").strip():
        raise WorkflowError(_("请写明经调查认定的违法事实。"), code="facts_required", article=apl(40), field="facts")
    if not (evidence_summary or "").strip():
        raise WorkflowError(
            _("请列明认定事实的证据。"), code="evidence_required", article=apl(46), field="evidence_summary"
        )
    kinds = check_penalty_kinds(penalty_kinds)
    fine, confiscation = amount_or_none(fine), amount_or_none(confiscation)
    no_penalty = kinds == [PenaltyKind.NONE]
    if not no_penalty:
        for party in case.parties.all():
            check_minor(party, case.violation_date)
    if confiscation is not None and confiscation <= 0:
        raise WorkflowError(
            _("没收违法所得金额应大于零。"), code="confiscation_not_positive", article=apl(28), field="confiscation"
        )
    if confiscation is not None and PenaltyKind.CONFISCATE_GAINS not in kinds:
        raise WorkflowError(
            _("填写了没收金额，但处罚种类中没有“没收违法所得”，请核对。"),
            code="confiscation_without_kind",
            article=apl(9),
            field="confiscation",
        )
    if is_major and not (major_reason or "").strip():
        raise WorkflowError(
            _("请写明属于重大执法决定的情形。"), code="major_reason_required", article=apl(58), field="major_reason"
        )
    if discretion_standard is not None and case.power_item_id != discretion_standard.power_item_id:
        raise WorkflowError(
            _("所选裁量基准不属于本案的权责事项，请选择本事项的裁量基准。"),
            code="standard_other_item",
            article=apl(34),
            field="discretion_standard",
        )
    deviation_reason = (deviation_reason or "").strip()
    deviates = check_discretion(discretion_standard, case.power_item, kinds, fine, fine_base_amount, deviation_reason)
    case.facts = facts.strip()
    case.evidence_summary = evidence_summary.strip()
    case.discretion_standard = discretion_standard
    case.proposed_penalty_kinds = [str(k) for k in kinds]
    case.proposed_fine = fine
    case.proposed_confiscation = confiscation
    case.fine_base_amount = amount_or_none(fine_base_amount)
    case.deviation_reason = deviation_reason if deviates else ""
    case.is_major = is_major
    case.major_reason = (major_reason or "").strip() if is_major else ""
    case.is_complex = is_complex
    proposal = "、".join(str(PenaltyKind(k).label) for k in kinds)
    if fine is not None:
        proposal += _("，罚款%(fine)s元") % {"fine": f"{fine:,.2f}"}
    if deviates:
        proposal += _("（偏离裁量基准，需集体讨论）")
    return transition(case, actor, CaseState.UNDER_REVIEW, _("调查终结"), summary=_("拟：%(p)s") % {"p": proposal})
