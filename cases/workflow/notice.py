"""Prior notice (事先告知), statement and defence (陈述申辩) and the hearing (听证)."""

from django.db import transaction
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import CaseState, DocumentKind, Hearing, PriorNotice
from cases.numbering import next_document_number
from cases.rules import config
from cases.rules.config import apl
from cases.rules.procedure import (
    check_hearing_host,
    check_hearing_notice,
    hearing_right,
    period_end,
    related_or_none,
)

from ._base import not_before, record_event, transition
from .actions import (
    guard_give_prior_notice,
    guard_record_hearing,
    guard_record_statement,
    guard_request_hearing,
    guard_schedule_hearing,
    guard_waive_statement,
    lock_case,
    run_guard,
    save_with_reason,
)

__all__ = [
    "give_prior_notice",
    "record_hearing",
    "record_statement",
    "request_hearing",
    "schedule_hearing",
    "waive_statement",
]


@transaction.atomic
def give_prior_notice(case, actor, *, served_on, approved_by=None):
    """Serve the prior notice (under_review → notified): numbers it, tells the hearing right (APL 63)
    and computes the statement and hearing-request deadlines (5 working days, APL 64(1)).

    `approved_by` (optional): the head who approved the case review (案件审核), recorded on the
    timeline; the actor may also be the head. A notice given again after a new proposal replaces
    the earlier one (its history keeps the old)."""
    lock_case(case)
    run_guard(guard_give_prior_notice, case, actor)
    if approved_by is not None and (approved_by.agency_id != case.agency_id or not approved_by.is_agency_head):
        raise WorkflowError(
            _("案件审核应由本机关负责人批准。"), code="head_required", article=apl(57), field="approved_by"
        )
    not_before(served_on, case.filed_on, _("告知书送达日期"), field="served_on", code="served_before_filing")
    right = hearing_right(case)
    notice = related_or_none(case, "prior_notice") or PriorNotice(case=case)
    notice.number = next_document_number(case.agency, DocumentKind.PRIOR_NOTICE, served_on.year)
    notice.served_on = served_on
    notice.hearing_right = right
    notice.statement_deadline = period_end(served_on, config.STATEMENT)
    notice.hearing_request_deadline = period_end(served_on, config.HEARING_REQUEST) if right else None
    notice.statement = ""
    notice.statement_adopted = None
    notice.waived_on = None
    notice.hearing_requested_on = None
    save_with_reason(notice, _("事先告知"))
    case.prior_notice = notice
    summary = _("%(number)s，陈述申辩期限至%(deadline)s") % {
        "number": notice.number,
        "deadline": f"{notice.statement_deadline:%Y-%m-%d}",
    }
    if right:
        summary += _("；告知听证权利，申请期限至%(date)s") % {"date": f"{notice.hearing_request_deadline:%Y-%m-%d}"}
    if approved_by is not None:
        summary += _("；经%(name)s审核批准") % {"name": approved_by.name}
    transition(case, actor, CaseState.NOTIFIED, _("事先告知"), summary=summary)
    return notice


@transaction.atomic
def record_statement(case, actor, *, statement, adopted):
    """Record the party's statement and defence and whether it is adopted (APL 45: heard in full,
    and no heavier penalty because the party defended themselves)."""
    lock_case(case)
    run_guard(guard_record_statement, case, actor)
    if not (statement or "").strip():
        raise WorkflowError(
            _("请记录当事人陈述、申辩的内容。"), code="statement_required", article=apl(45), field="statement"
        )
    notice = case.prior_notice
    notice.statement = statement.strip()
    notice.statement_adopted = bool(adopted)
    save_with_reason(notice, _("记录陈述申辩"))
    record_event(case, actor, _("陈述申辩"), summary=_("意见已采纳") if adopted else _("意见未采纳（已复核）"))
    return notice


@transaction.atomic
def waive_statement(case, actor, *, waived_on):
    """The party declares in writing that they waive statement, defence and hearing."""
    lock_case(case)
    run_guard(guard_waive_statement, case, actor)
    notice = case.prior_notice
    not_before(waived_on, notice.served_on, _("放弃陈述申辩日期"), field="waived_on", code="waived_before_notice")
    notice.waived_on = waived_on
    save_with_reason(notice, _("当事人放弃陈述申辩"))
    record_event(case, actor, _("当事人放弃陈述申辩"), summary=f"{waived_on:%Y-%m-%d}")
    return notice


@transaction.atomic
def request_hearing(case, actor, *, requested_on):
    """Record the party's request for a hearing (notified → hearing), within 5 working days (APL 64(1))."""
    lock_case(case)
    run_guard(guard_request_hearing, case, actor, requested_on=requested_on)
    notice = case.prior_notice
    notice.hearing_requested_on = requested_on
    save_with_reason(notice, _("当事人申请听证"))
    transition(case, actor, CaseState.HEARING, _("申请听证"), summary=f"{requested_on:%Y-%m-%d}")
    return notice


@transaction.atomic
def schedule_hearing(case, actor, *, host, notice_served_on, scheduled_on, place, public=True):
    """The head names the host and the party is notified ≥7 working days ahead (APL 64(2), 64(4)).
    A hearing not held yet may be rescheduled: it keeps its notice number."""
    lock_case(case)
    run_guard(guard_schedule_hearing, case, actor)
    check_hearing_host(host, case)
    not_before(
        notice_served_on,
        case.prior_notice.hearing_requested_on,
        _("听证通知送达日期"),
        field="notice_served_on",
        code="notice_before_request",
    )
    check_hearing_notice(notice_served_on, scheduled_on)
    if not (place or "").strip():
        raise WorkflowError(_("请填写听证地点。"), code="place_required", article=apl(64), field="place")
    hearing = related_or_none(case, "hearing") or Hearing(case=case)
    if not hearing.notice_number:
        hearing.notice_number = next_document_number(case.agency, DocumentKind.HEARING_NOTICE, notice_served_on.year)
    hearing.host = host
    hearing.notice_served_on = notice_served_on
    hearing.scheduled_on = scheduled_on
    hearing.place = place.strip()
    hearing.public = public
    save_with_reason(hearing, _("安排听证"))
    case.hearing = hearing
    record_event(
        case,
        actor,
        _("安排听证"),
        summary=_("%(number)s：%(date)s在%(place)s举行，主持人%(host)s%(public)s")
        % {
            "number": hearing.notice_number,
            "date": f"{scheduled_on:%Y-%m-%d}",
            "place": hearing.place,
            "host": host.name,
            "public": "" if public else _("（不公开）"),
        },
    )
    return hearing


@transaction.atomic
def record_hearing(case, actor, *, held_on, record, signed_by_party):
    """The host or a handler records the hearing held (APL 64(8): a record read to and signed by the party)."""
    lock_case(case)
    run_guard(guard_record_hearing, case, actor)
    hearing = case.hearing
    not_before(held_on, hearing.scheduled_on, _("听证举行日期"), field="held_on", code="held_before_scheduled")
    if not (record or "").strip():
        raise WorkflowError(_("请填写听证笔录。"), code="record_required", article=apl(64), field="record")
    hearing.held_on = held_on
    hearing.record = record.strip()
    hearing.record_signed_by_party = bool(signed_by_party)
    save_with_reason(hearing, _("记录听证"))
    summary = f"{held_on:%Y-%m-%d}"
    if not signed_by_party:
        summary += _("；当事人未签字，已在笔录中注明")
    record_event(case, actor, _("举行听证"), summary=summary)
    return hearing
