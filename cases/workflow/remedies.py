"""Reconsideration and litigation against a decision: record the application, then its outcome.

Neither moves the case: a remedy runs beside execution and usually after archiving. The outcome
is told to the apps above through `cases.signals.remedy_outcome_recorded` after commit; an
overturned decision is withdrawn from public disclosure there (《行政处罚法》第四十八条第二款).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import signals
from cases.errors import WorkflowError
from cases.models import OVERTURNING_OUTCOMES, CaseState, Remedy, RemedyKind, RemedyOutcome

from ._base import lock_case, not_before, record_event, require_same_agency, require_state

__all__ = ["record_remedy", "record_remedy_outcome", "REMEDY_STATES"]

# A decision exists from "decided" on; the archived state is listed on purpose (cases.readonly
# lets remedies onto archived cases: they are not part of the dossier).
REMEDY_STATES = (CaseState.DECIDED, CaseState.SERVED, CaseState.EXECUTING, CaseState.CLOSED, CaseState.ARCHIVED)
APL_48 = "《行政处罚法》第四十八条第二款"
REMEDY_LAW = {
    RemedyKind.RECONSIDERATION: "《中华人民共和国行政复议法》",
    RemedyKind.LITIGATION: "《中华人民共和国行政诉讼法》",
}


def _not_in_future(day, what, *, code, field):
    if day > timezone.localdate():
        raise WorkflowError(
            _("%(what)s不能晚于今天，请核对日期。") % {"what": what}, code=code, field=field
        )


def _require_choice(value, choices, message, *, code, field):
    if value not in choices.values:
        raise WorkflowError(message, code=code, field=field)


def record_remedy(case, actor, *, kind, filed_on, body, reference=""):
    """The party applied for reconsideration or sued: record it on the case (any decided case,
    archived included). Returns the Remedy."""
    with transaction.atomic():
        case = lock_case(case)
        require_state(case, *REMEDY_STATES)
        require_same_agency(case, actor)
        _require_choice(kind, RemedyKind, _("请选择行政复议或行政诉讼。"), code="remedy_kind", field="kind")
        body = str(body or "").strip()
        if not body:
            raise WorkflowError(_("请填写复议机关或受理的人民法院。"), code="remedy_body_required", field="body")
        not_before(filed_on, case.decided_on, _("申请或起诉日期"), code="remedy_before_decision", field="filed_on")
        _not_in_future(filed_on, _("申请或起诉日期"), code="remedy_in_future", field="filed_on")
        remedy = Remedy(
            case=case, kind=kind, body=body, reference=str(reference or "").strip(), filed_on=filed_on, recorded_by=actor
        )
        remedy._change_reason = _("登记复议诉讼")
        remedy.save()
        record_event(
            case,
            actor,
            _("登记%(kind)s") % {"kind": remedy.get_kind_display()},
            summary=_("%(day)s 当事人向%(body)s提出%(kind)s%(ref)s。")
            % {
                "day": filed_on,
                "body": body,
                "kind": remedy.get_kind_display(),
                "ref": f"（{remedy.reference}）" if remedy.reference else "",
            },
        )
    return remedy


def record_remedy_outcome(remedy, actor, *, outcome, outcome_on, summary=""):
    """The reconsideration body or the court decided: record the outcome once. An overturning
    outcome marks the remedy `overturned` and, after commit, tells disclosure to withdraw."""
    with transaction.atomic():
        case = lock_case(remedy.case)
        remedy = Remedy.objects.select_for_update().get(pk=remedy.pk)
        require_same_agency(case, actor)
        if remedy.outcome:
            raise WorkflowError(
                _("该%(kind)s的结果已于 %(day)s 登记，不能重复登记。")
                % {"kind": remedy.get_kind_display(), "day": remedy.outcome_on},
                code="remedy_outcome_recorded",
            )
        _require_choice(outcome, RemedyOutcome, _("请选择复议或诉讼的结果。"), code="remedy_outcome", field="outcome")
        not_before(outcome_on, remedy.filed_on, _("结果作出日期"), code="outcome_before_filing", field="outcome_on")
        _not_in_future(outcome_on, _("结果作出日期"), code="outcome_in_future", field="outcome_on")
        remedy.outcome = outcome
        remedy.outcome_on = outcome_on
        remedy.outcome_summary = str(summary or "").strip()
        remedy.overturned = outcome in OVERTURNING_OUTCOMES
        remedy._change_reason = _("登记复议诉讼结果")
        remedy.save()
        text = _("%(body)s于 %(day)s 作出%(kind)s结果：%(outcome)s。") % {
            "body": remedy.body,
            "day": outcome_on,
            "kind": remedy.get_kind_display(),
            "outcome": remedy.get_outcome_display(),
        }
        if remedy.overturned:
            text += _("原决定不再有效，已公开的处罚决定应当在三个工作日内撤下（%(article)s）。") % {"article": APL_48}
        record_event(case, actor, _("登记复议诉讼结果"), summary=text)
        signals.send_after_commit(
            signals.remedy_outcome_recorded,
            case_id=case.pk,
            remedy_id=remedy.pk,
            outcome=remedy.outcome,
            overturned=remedy.overturned,
        )
    return remedy
