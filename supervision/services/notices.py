"""Supervision notices: issued by a supervisor, numbered without gaps, printed to PDF, answered by
the agency, accepted or returned by the supervisor. Deadlines in working days (lawenforce.calendar);
an unknown holiday year refuses the notice rather than guessing its deadline."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.documents.render import html_to_pdf, render_html
from cases.errors import WorkflowError
from cases.models import Case
from cases.numbering import format_number
from lawenforce import calendar
from lawenforce.access import Role, officer_of, restrict, roles_of
from lawenforce.ledger import log as ledger
from supervision.models import (
    ACTIVE_STATES,
    NOTICE_WORD,
    Alert,
    AlertEntry,
    AlertState,
    DossierEvaluation,
    EntryKind,
    NoticeReply,
    NoticeSequence,
    NoticeState,
    ReplyKind,
    SupervisionNotice,
)

TEMPLATE = "supervision/documents/notice.html"


def next_notice_number(bureau, kind, year):
    """济司督〔2026〕3号: the pattern of cases.numbering, with supervision's own counter."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are taken inside the transaction that issues the notice")
    try:
        with transaction.atomic():
            NoticeSequence.objects.get_or_create(bureau=bureau, year=year, kind=kind)
    except IntegrityError:
        pass
    counter = NoticeSequence.objects.select_for_update().get(bureau=bureau, year=year, kind=kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(bureau, NOTICE_WORD[kind], year, counter.last)


def response_due_on(issued_on, days):
    """The last day to answer: `days` working days after the issuing day (not counted)."""
    try:
        return calendar.add_working_days(issued_on, days)
    except calendar.UnknownCalendarYear as exc:
        raise WorkflowError(str(exc), code="calendar_unknown", field="response_days") from None


def _supervisor(user):
    officer = officer_of(user)
    if officer is None or Role.SUPERVISOR not in roles_of(user):
        raise WorkflowError(_("只有司法行政部门的执法监督人员才能签发监督文书。"), code="not_supervisor")
    return officer


@transaction.atomic
def issue(
    user, *, kind, subject, findings, requirements, issued_on, response_days, cases=(), alerts=(), evaluations=()
):
    """Issue a notice to the one agency the cases, alerts or evaluations belong to."""
    officer = _supervisor(user)
    cases = list(restrict(Case.objects.filter(pk__in=[c.pk for c in cases]), user).select_related("agency"))
    alerts = list(restrict(Alert.objects.filter(pk__in=[a.pk for a in alerts]), user).select_related("case"))
    evaluations = list(restrict(DossierEvaluation.objects.filter(pk__in=[e.pk for e in evaluations]), user))
    cases += [a.case for a in alerts if a.case_id not in {c.pk for c in cases}]
    cases += [e.case for e in evaluations if e.case_id not in {c.pk for c in cases}]
    agencies = {c.agency_id for c in cases}
    if not cases:
        raise WorkflowError(_("请至少选择一件案件或一条预警。"), code="nothing_selected")
    if len(agencies) > 1:
        raise WorkflowError(_("一份监督文书只能发给一个执法主体，请按执法主体分别签发。"), code="several_agencies")
    if not (subject or "").strip() or not (findings or "").strip() or not (requirements or "").strip():
        raise WorkflowError(_("请填写事由、发现的问题和监督意见。"), code="text_required")
    if issued_on > timezone.localdate():
        raise WorkflowError(_("签发日期不能晚于今天。"), code="issued_in_future", field="issued_on")
    agency = cases[0].agency
    notice = SupervisionNotice.objects.create(
        kind=kind,
        number=next_notice_number(officer.agency, kind, issued_on.year),
        bureau=officer.agency,
        issued_by=officer,
        agency=agency,
        subject=subject.strip(),
        findings=findings.strip(),
        requirements=requirements.strip(),
        issued_on=issued_on,
        response_days=response_days,
        response_due_on=response_due_on(issued_on, response_days),
    )
    notice.cases.set(cases)
    notice.alerts.set(alerts)
    notice.evaluations.set(evaluations)
    _notify_alerts(alerts, officer, notice)
    _print(notice)
    return notice


def _notify_alerts(alerts, officer, notice):
    """The alerts a notice is about are thereby notified to the agency."""
    now = timezone.now()
    open_ids = [a.pk for a in alerts if a.state == AlertState.OPEN]
    Alert.objects.filter(pk__in=open_ids).update(state=AlertState.NOTIFIED, notified_at=now)
    AlertEntry.objects.bulk_create(
        AlertEntry(
            alert_id=a.pk,
            at=now,
            actor=officer,
            kind=EntryKind.NOTIFIED,
            from_state=a.state if a.state == AlertState.OPEN else "",
            to_state=AlertState.NOTIFIED if a.state == AlertState.OPEN else "",
            text=_("已签发%(kind)s %(number)s") % {"kind": notice.get_kind_display(), "number": notice.number},
        )
        for a in alerts
        if a.state in ACTIVE_STATES
    )


def context(notice):
    from supervision.rules import get_rule

    today = timezone.localdate()
    alerts = []
    for alert in notice.alerts.select_related("case").order_by("pk"):
        rule = get_rule(alert.rule)
        alerts.append({"alert": alert, "text": rule.describe(alert.facts, notice.issued_on) if rule else alert.message})
    return {
        "kind": "supervision-notice",
        "title": notice.get_kind_display(),
        "number": notice.number,
        "agency_name": notice.bureau.name,
        "notice": notice,
        "cases": list(notice.cases.order_by("pk")),
        "alerts": alerts,
        "seal_date": notice.issued_on,
        "today": today,
    }


def render_pdf(notice):
    return html_to_pdf(render_html(TEMPLATE, context(notice)))


def _print(notice):
    pdf = render_pdf(notice)
    notice.sha256 = hashlib.sha256(pdf).hexdigest()
    notice.file.save(f"notice-{notice.pk}-{notice.issued_on:%Y%m%d}.pdf", ContentFile(pdf), save=False)
    notice.save(update_fields=["file", "sha256"])
    # The notice's digest joins the tamper-evident record beside the case documents.
    ledger.append(
        "supervision_notice",
        {"number": notice.number, "agency_id": notice.agency_id, "sha256": notice.sha256, "size": len(pdf)},
        obj=notice,
    )


def is_addressee(user, notice):
    officer = officer_of(user)
    return officer is not None and officer.agency_id == notice.agency_id and Role.SUPERVISOR not in roles_of(user)


def is_issuer_side(user, notice):
    return Role.SUPERVISOR in roles_of(user) and restrict(SupervisionNotice.objects.filter(pk=notice.pk), user).exists()


@transaction.atomic
def answer(notice, user, text):
    """The agency answers; an answer after the working-day deadline is flagged late."""
    if not is_addressee(user, notice):
        raise WorkflowError(_("只有被监督的执法主体才能答复本文书。"), code="not_addressee")
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.state not in (NoticeState.ISSUED, NoticeState.RETURNED):
        raise WorkflowError(
            _("本文书当前不需要答复（%(state)s）。") % {"state": notice.get_state_display()}, code="not_awaiting"
        )
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("请填写答复内容：核查情况、整改措施和结果。"), code="text_required", field="text")
    now = timezone.now()
    late = timezone.localdate(now) > notice.response_due_on
    NoticeReply.objects.create(notice=notice, kind=ReplyKind.ANSWER, author=officer_of(user), text=text, late=late)
    notice.state = NoticeState.ANSWERED
    if notice.first_answered_at is None:
        notice.first_answered_at = now
        notice.answered_late = late
    notice.save()
    return notice


@transaction.atomic
def review(notice, user, *, accept, text):
    """The supervisor accepts the answer (the notice is closed) or returns it for another."""
    if not is_issuer_side(user, notice):
        raise WorkflowError(_("只有监督机关的执法监督人员才能审查答复。"), code="not_supervisor")
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.state != NoticeState.ANSWERED:
        raise WorkflowError(_("执法机关尚未答复，不能审查。"), code="not_answered")
    text = (text or "").strip()
    if not accept and not text:
        raise WorkflowError(_("退回重新答复时请写明理由。"), code="text_required", field="text")
    kind = ReplyKind.ACCEPT if accept else ReplyKind.RETURN
    NoticeReply.objects.create(notice=notice, kind=kind, author=officer_of(user), text=text or _("审查通过。"))
    notice.state = NoticeState.CLOSED if accept else NoticeState.RETURNED
    notice.closed_at = timezone.now() if accept else None
    notice.save()
    return notice


def is_overdue(notice, today=None):
    """Not answered and past its deadline (a late answer is `answered_late`)."""
    today = today or timezone.localdate()
    return notice.first_answered_at is None and today > notice.response_due_on
