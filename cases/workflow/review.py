"""Routing to the decision, legal review (法制审核) and its return-and-resubmit loop."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import REVIEW_CHECKLIST, CaseState, DocumentKind, LegalReview, ReviewOutcome
from cases.numbering import next_document_number
from cases.rules.config import apl
from cases.rules.procedure import check_review_checklist, needs_deliberation, needs_legal_review, related_or_none

from ._base import transition
from .actions import (
    guard_give_legal_review,
    guard_proceed_to_decision,
    guard_resubmit_after_return,
    lock_case,
    run_guard,
    save_with_reason,
)

__all__ = ["give_legal_review", "proceed_to_decision", "resubmit_after_return"]

CHECKLIST_KEYS = [key for key, _label in REVIEW_CHECKLIST]


def _open_review(case, actor, materials):
    review = LegalReview(case=case, submitted_at=timezone.now(), submitted_by=actor, materials=materials)
    return save_with_reason(review, _("提交法制审核"))


def _after_review_state(case):
    return CaseState.DELIBERATION if needs_deliberation(case) else CaseState.PENDING_DECISION


@transaction.atomic
def proceed_to_decision(case, actor, *, on_date=None, materials=""):
    """After the party was heard (or the periods ran out), route the case: to legal review when
    required (APL 58), else to collective deliberation when required (APL 57(2)), else to the head's
    decision. `on_date` (optional): the day the statement period is judged on, today by default."""
    lock_case(case)
    run_guard(guard_proceed_to_decision, case, actor, on_date=on_date)
    if needs_legal_review(case):
        _open_review(case, actor, materials)
        return transition(case, actor, CaseState.LEGAL_REVIEW, _("提交法制审核"), summary=_reasons_for_review(case))
    to_state = _after_review_state(case)
    action = _("提交集体讨论") if to_state == CaseState.DELIBERATION else _("提交负责人决定")
    return transition(case, actor, to_state, action)


def _reasons_for_review(case):
    reasons = []
    if case.is_major:
        reasons.append(_("重大执法决定：%(r)s") % {"r": case.major_reason})
    if case.is_complex:
        reasons.append(_("案件情况疑难复杂"))
    hearing = related_or_none(case, "hearing")
    if hearing is not None and hearing.held_on:
        reasons.append(_("经过听证程序"))
    return "；".join(reasons)


def _checklist_dict(checklist):
    """Accept {key: bool} or an iterable of the keys checked."""
    if checklist is None:
        return {}
    items = checklist.items() if hasattr(checklist, "items") else ((key, True) for key in checklist)
    result = {}
    for key, value in items:
        if key not in CHECKLIST_KEYS:
            raise WorkflowError(
                _("未知的审核事项：%(key)s。") % {"key": key}, code="unknown_checklist_item", field="checklist"
            )
        result[key] = bool(value)
    return result


@transaction.atomic
def give_legal_review(review, actor, *, outcome, opinion, checklist, reviewed_on=None):
    """A legal reviewer of the agency who did not handle the case gives the opinion (APL 58).

    Approved: the opinion is numbered and the case goes on to deliberation or the decision.
    Returned or disapproved: the case goes back to investigation (resubmit_after_return)."""
    case = lock_case(review.case)
    review.refresh_from_db()
    run_guard(guard_give_legal_review, case, actor, review=review)
    if outcome not in (ReviewOutcome.APPROVED, ReviewOutcome.RETURNED, ReviewOutcome.DISAPPROVED):
        raise WorkflowError(
            _("请选择审核结论：同意、退回补充材料或不同意。"), code="outcome_invalid", article=apl(58), field="outcome"
        )
    if not (opinion or "").strip():
        raise WorkflowError(
            _("请写明审核意见：同意的写明意见，不同意或退回的写明存在的问题和建议。"),
            code="opinion_required",
            article=apl(58),
            field="opinion",
        )
    checks = _checklist_dict(checklist)
    if outcome == ReviewOutcome.APPROVED:
        check_review_checklist(checks)
    reviewed_on = reviewed_on or timezone.localdate()
    for key in CHECKLIST_KEYS:
        setattr(review, key, checks.get(key, False))
    review.reviewer = actor
    review.outcome = outcome
    review.opinion = opinion.strip()
    review.reviewed_at = timezone.now()
    if outcome == ReviewOutcome.APPROVED:
        review.opinion_number = next_document_number(case.agency, DocumentKind.LEGAL_REVIEW_OPINION, reviewed_on.year)
    save_with_reason(review, _("法制审核：%(o)s") % {"o": review.get_outcome_display()})
    if outcome == ReviewOutcome.APPROVED:
        to_state = _after_review_state(case)
        summary = _("%(number)s，同意") % {"number": review.opinion_number}
    else:
        to_state = CaseState.INVESTIGATING
        summary = _("%(outcome)s：%(opinion)s") % {"outcome": review.get_outcome_display(), "opinion": review.opinion}
    transition(case, actor, to_state, _("法制审核"), summary=summary)
    review.case = case
    return review


@transaction.atomic
def resubmit_after_return(case, actor, *, materials=""):
    """After a returned (or disapproved) review, the handler supplements and opens a new round."""
    lock_case(case)
    run_guard(guard_resubmit_after_return, case, actor)
    _open_review(case, actor, materials)
    return transition(case, actor, CaseState.LEGAL_REVIEW, _("重新提交法制审核"), summary=materials)
