"""Every rule about complaints and reports (投诉举报), and every change of their state.

The public form, the agency's pages and the JSON API call these functions and nothing else
writes a complaint. Each check names the provision it enforces; the periods come from
legal-rules.md (《市场监督管理投诉举报处理暂行办法》, the default for every agency kind).

- ``submit``: a complaint from the public: checked, routed (``routing.route``), given its
  tracking code (查询码) and its acceptance deadline, attachments stored with their digests;
- ``accept``, ``refuse``, ``transfer``, ``make_lead``, ``close``: the agency's handling, each a
  ``ComplaintEvent`` (public or internal) and a history row with its reason (so a ledger leaf);
- ``complaints_in_scope``, ``complaint_for``, ``find_by_code``: reading, scoped by lawenforce.access.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintKind,
    ComplaintState,
)
from disclosure.models.complaints import AWAITING_ACCEPTANCE
from evidence.services import sanitize_name
from evidence.sniffing import allowed_summary, sniff
from lawenforce import calendar
from lawenforce.access import get_in_scope_or_404, officer_of, restrict
from lawenforce.models import Agency, AgencyKind, AgencyStatus

from . import routing

# 《市场监督管理投诉举报处理暂行办法》第十四条: accept or refuse within 7 working days of receipt.
ACCEPT_WORKING_DAYS = 7
ARTICLE_ACCEPT = gettext_lazy("《市场监督管理投诉举报处理暂行办法》第十四条")
ARTICLE_MATERIALS = gettext_lazy("《市场监督管理投诉举报处理暂行办法》第九条")
ARTICLE_REFUSE = gettext_lazy("《市场监督管理投诉举报处理暂行办法》第十五条")
UNKNOWN_YEAR_NOTE = gettext_lazy("该年度节假日安排尚未录入，受理期限暂无法计算，请尽快处理。")

# Tracking codes: 12 characters from 31 that cannot be mistaken for each other (no 0/O, 1/I/L):
# 31^12 ≈ 7.9·10^17 codes, drawn with `secrets`, so guessing one is hopeless even before the rate limit.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12

# Text lengths the public may send (the model's limits, and a bound on the free text).
CONTENT_MAX_LENGTH = 5000
REPLY_MAX_LENGTH = 2000


class ComplaintError(ValidationError):
    """A refused step or bad input: a Chinese message saying what to fix, the article it enforces."""

    def __init__(self, message, *, code, article="", field=None):
        self.article = str(article) if article else ""
        self.rule_code = code
        self.field = field
        text = f"{message}（{self.article}）" if self.article else str(message)
        super().__init__({field: [text]} if field else text, code=code)

    @property
    def text(self):
        return self.messages[0]


# --- Limits and codes -------------------------------------------------------------------------


def max_upload_size():
    return int(settings.COMPLAINT_MAX_UPLOAD_SIZE)


def max_files():
    return int(settings.COMPLAINT_MAX_FILES)


def too_large_message():
    return _("附件超过大小上限 %(limit)s，未能上传。请压缩后重新选择。") % {"limit": filesizeformat(max_upload_size())}


def new_tracking_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code


def normalise_code(text):
    """What a person typed as a code: case, spaces and hyphens do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:32]


def display_code(code):
    """ABCD-EFGH-JKMN: easier to read out and copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def accept_due_on(received_on):
    """The last day to accept or refuse (第十四条: 7 working days), None for a year the calendar does not know."""
    try:
        return calendar.add_working_days(received_on, ACCEPT_WORKING_DAYS)
    except calendar.UnknownCalendarYear:
        return None


def days_left(complaint, today=None):
    """Working days left to decide on acceptance (negative: overdue), None when not applicable."""
    if not complaint.awaiting_acceptance or complaint.accept_due_on is None:
        return None
    today = today or timezone.localdate()
    try:
        return calendar.working_days_between(today, complaint.accept_due_on)
    except calendar.UnknownCalendarYear:
        return (complaint.accept_due_on - today).days


# --- The public form --------------------------------------------------------------------------


def check_upload(upload):
    """The sniffed type of one attachment, or ComplaintError (empty, too large, not hashed, wrong type)."""
    name = sanitize_name(getattr(upload, "name", "")) or _("（无名文件）")
    if not upload.size:
        raise ComplaintError(
            _("附件“%(name)s”是空文件（0 字节），请重新选择。") % {"name": name}, code="file_empty", field="files"
        )
    if upload.size > max_upload_size():
        raise ComplaintError(too_large_message(), code="file_too_large", field="files")
    if not getattr(upload, "sha256", "") or not getattr(upload, "sm3", ""):
        raise ComplaintError(_("附件未经本平台的上传通道接收，请重新选择。"), code="file_not_hashed", field="files")
    sniffed = sniff(upload.file, upload.name or "")
    if not sniffed.allowed:
        raise ComplaintError(
            _("附件“%(name)s”的内容是 %(detected)s，不是允许的类型。允许的类型：%(allowed)s。")
            % {"name": name, "detected": sniffed.label, "allowed": allowed_summary()},
            code="file_type_not_allowed",
            field="files",
        )
    return sniffed


def check_uploads(uploads):
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > max_files():
        raise ComplaintError(
            _("最多上传 %(n)d 个附件，请删减后重新选择。") % {"n": max_files()}, code="too_many_files", field="files"
        )
    return [(upload, check_upload(upload)) for upload in uploads]


def complainant_errors(kind, anonymous, name, phone):
    """What is missing about the complainant, one ComplaintError per field."""
    # 第九条: a complaint (投诉, a consumer dispute to mediate) names the complainant and a phone number;
    # a report (举报) may be anonymous.
    if kind == ComplaintKind.COMPLAINT and anonymous:
        return [
            ComplaintError(
                _("投诉需要留下姓名和联系电话以便调解和告知结果；如不愿留名，请选择“举报”。"),
                code="complaint_not_anonymous",
                field="anonymous",
                article=ARTICLE_MATERIALS,
            )
        ]
    errors = []
    if not anonymous:
        if not (name or "").strip():
            errors.append(
                ComplaintError(
                    _("请填写您的姓名，或选择匿名举报。"),
                    code="name_required",
                    field="complainant_name",
                    article=ARTICLE_MATERIALS,
                )
            )
        if not (phone or "").strip():
            errors.append(
                ComplaintError(
                    _("请填写联系电话，以便告知处理结果。"),
                    code="phone_required",
                    field="complainant_phone",
                    article=ARTICLE_MATERIALS,
                )
            )
    return errors


def check_complainant(kind, anonymous, name, phone):
    errors = complainant_errors(kind, anonymous, name, phone)
    if errors:
        raise errors[0]


def check_occurred_on(occurred_on, today):
    if occurred_on and occurred_on > today:
        raise ComplaintError(_("发生日期不能晚于今天，请核对。"), code="occurred_in_future", field="occurred_on")


@transaction.atomic
def submit(
    *,
    kind,
    region,
    title,
    content,
    subject_name,
    sector="",
    power_item=None,
    subject_uscc="",
    subject_address="",
    occurred_on=None,
    place="",
    anonymous=False,
    complainant_name="",
    complainant_phone="",
    complainant_email="",
    complainant_id_number="",
    uploads=(),
    now=None,
):
    """File a complaint from the public. Returns the Complaint; raises ComplaintError."""
    now = now or timezone.now()
    received_on = timezone.localdate(now)
    check_occurred_on(occurred_on, received_on)
    check_complainant(kind, anonymous, complainant_name, complainant_phone)
    if len(content or "") > CONTENT_MAX_LENGTH:
        raise ComplaintError(
            _("具体情况最多 %(n)d 字，请精简。") % {"n": CONTENT_MAX_LENGTH}, code="content_too_long", field="content"
        )
    files = check_uploads(uploads)
    if anonymous:
        complainant_name = complainant_phone = complainant_email = complainant_id_number = ""
    chosen = routing.route(region, sector=sector, power_item=power_item)
    complaint = Complaint(
        tracking_code=new_tracking_code(),
        kind=kind,
        received_at=now,
        region=region,
        sector=sector or (chosen.agency.sector if chosen.agency else ""),
        power_item=power_item,
        agency=chosen.agency,
        routing_note=chosen.note,
        accept_due_on=accept_due_on(received_on) if chosen.agency else None,
        anonymous=anonymous,
        complainant_name=(complainant_name or "").strip(),
        complainant_phone=(complainant_phone or "").strip(),
        complainant_email=(complainant_email or "").strip(),
        complainant_id_number=(complainant_id_number or "").strip().upper(),
        subject_name=subject_name.strip(),
        subject_uscc=(subject_uscc or "").strip().upper(),
        subject_address=(subject_address or "").strip(),
        title=title.strip(),
        content=content.strip(),
        occurred_on=occurred_on,
        place=(place or "").strip(),
    )
    try:
        complaint.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ComplaintError("；".join(messages), code="invalid", field=None if field == "__all__" else field) from None
    complaint._change_reason = _("收到投诉举报")
    complaint.save()
    stored = []
    try:
        for upload, sniffed in files:
            attachment = ComplaintAttachment(
                complaint=complaint,
                original_name=sanitize_name(upload.name),
                content_type=sniffed.mime,
                size=upload.size,
                sha256=upload.sha256,
                sm3=upload.sm3,
                uploaded_at=now,
            )
            upload.seek(0)
            attachment.file.save(f"upload.{sniffed.extension}", upload, save=False)
            stored.append(attachment.file.name)
            attachment.save()
    except Exception:
        for name in stored:
            ComplaintAttachment.file.field.storage.delete(name)
        raise
    _event(complaint, None, _("收到投诉举报"), to_state=complaint.state, at=now)
    _routed_events(complaint, at=now)
    return complaint


def _routed_events(complaint, at=None):
    """The public note of where the complaint went and by when it is decided, and the internal routing note."""
    if complaint.agency:
        note = _("已分派至%(agency)s，该机关应于%(due)s前决定是否受理。") % {
            "agency": complaint.agency.name,
            "due": f"{complaint.accept_due_on:%Y-%m-%d}" if complaint.accept_due_on else str(UNKNOWN_YEAR_NOTE),
        }
        _event(complaint, None, _("分派承办机关"), note=note, at=at)
    _event(complaint, None, _("分派说明"), note=complaint.routing_note, public=False, at=at)


def find_by_code(text):
    """The complaint with this tracking code, or None (a wrong code and a missing one look the same)."""
    code = normalise_code(text)
    if len(code) < CODE_LENGTH:
        return None
    return Complaint.objects.select_related("agency", "region").filter(tracking_code=code).first()


def public_events(complaint):
    return complaint.events.filter(public=True).order_by("at", "pk")


# --- Reading, scoped --------------------------------------------------------------------------


def complaints_in_scope(user, action="view"):
    return restrict(Complaint.objects.all(), user, action)


def queue(user, *, show="open", today=None):
    """The agency's queue: awaiting acceptance first (earliest deadline first), then the rest, newest first."""
    today = today or timezone.localdate()
    qs = complaints_in_scope(user).select_related("agency", "region", "power_item")
    if show == "open":
        qs = qs.exclude(state__in=[ComplaintState.CLOSED, ComplaintState.REJECTED])
    elif show == "overdue":
        qs = qs.overdue(today)
    elif show == "awaiting":
        qs = qs.awaiting_acceptance()
    waiting = When(state__in=AWAITING_ACCEPTANCE, then=Value(0))
    return qs.annotate(waiting_rank=Case(waiting, default=Value(1), output_field=IntegerField())).order_by(
        "waiting_rank", "accept_due_on", "-received_at", "-pk"
    )


def complaint_for(user, pk, action="view"):
    return get_in_scope_or_404(
        Complaint.objects.select_related("agency", "region", "power_item", "case", "transferred_from"),
        user,
        action,
        pk=pk,
    )


@dataclass(frozen=True)
class Actions:
    accept: bool = False
    refuse: bool = False
    transfer: bool = False
    lead: bool = False
    close: bool = False
    assign: bool = False

    @property
    def any(self):
        return self.accept or self.refuse or self.transfer or self.lead or self.close or self.assign


def available_actions(complaint, user):
    """What `user` may do with `complaint` now (the buttons shown; the services check again)."""
    if complaint.agency_id is None:
        return Actions(assign=bool(getattr(user, "is_superuser", False)) and complaint.awaiting_acceptance)
    if not handles(complaint, user):
        return Actions()
    waiting = complaint.awaiting_acceptance
    accepted = complaint.state == ComplaintState.ACCEPTED
    return Actions(
        accept=waiting,
        refuse=waiting,
        transfer=waiting,
        lead=accepted and complaint.case_id is None,
        close=accepted,
    )


def handles(complaint, user):
    """True when `user` is an active officer of the agency the complaint is routed to. That includes
    a justice bureau's supervisors for a complaint routed to their bureau (to pass it on); reading a
    region's complaints gives a supervisor no right to handle them."""
    officer = officer_of(user)
    return officer is not None and complaint.agency_id is not None and officer.agency_id == complaint.agency_id


def shows_complainant(complaint, user):
    """The complainant's personal data and the attachments are for the handling agency only (and the
    system administrator); supervisors reading their region see the matter and the handling."""
    return getattr(user, "is_superuser", False) or handles(complaint, user)


PERSONAL_FIELDS = ("complainant_name", "complainant_phone", "complainant_email", "complainant_id_number")


def transfer_targets(complaint):
    return (
        Agency.objects.filter(status=AgencyStatus.ACTIVE)
        .exclude(kind=AgencyKind.ENTRUSTED)
        .exclude(pk=complaint.agency_id)
        .select_related("region")
        .order_by("region__path", "name")
    )


# --- Handling by the agency -------------------------------------------------------------------


def _event(complaint, actor, action, *, note="", from_state="", to_state="", public=True, at=None):
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        action=str(action),
        note=note,
        from_state=from_state,
        to_state=to_state,
        public=public,
        at=at or timezone.now(),
    )


def _lock(complaint):
    # Lock the complaint row only (PostgreSQL refuses FOR UPDATE on the nullable side of a join).
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("agency", "region", "power_item")
        .get(pk=complaint.pk)
    )


def require_handler(complaint, actor):
    """Only an active officer of the agency the complaint is routed to handles it (supervisors only read)."""
    if actor is None or not actor.active or complaint.agency_id is None or actor.agency_id != complaint.agency_id:
        raise ComplaintError(_("只有承办机关的在岗执法人员才能办理该投诉举报。"), code="not_handler")


def require_awaiting(complaint):
    if not complaint.awaiting_acceptance:
        raise ComplaintError(
            _("该投诉举报当前状态为“%(state)s”，已作出受理决定，不能再办理此项。")
            % {"state": complaint.get_state_display()},
            code="not_awaiting",
        )


def require_accepted(complaint, what):
    if complaint.state != ComplaintState.ACCEPTED:
        raise ComplaintError(
            _("该投诉举报当前状态为“%(state)s”，受理后才能%(what)s。")
            % {"state": complaint.get_state_display(), "what": what},
            code="not_accepted",
        )


def _text(value, field, message, limit=REPLY_MAX_LENGTH):
    value = (value or "").strip()
    if not value:
        raise ComplaintError(message, code=f"{field}_required", field=field)
    if len(value) > limit:
        raise ComplaintError(_("最多 %(n)d 字，请精简。") % {"n": limit}, code=f"{field}_too_long", field=field)
    return value


def _on(on, complaint, field="on"):
    on = on or timezone.localdate()
    received = timezone.localdate(complaint.received_at)
    if on < received:
        raise ComplaintError(
            _("日期不能早于收到投诉举报的日期（%(date)s）。") % {"date": f"{received:%Y-%m-%d}"},
            code="before_received",
            field=field,
        )
    if on > timezone.localdate():
        raise ComplaintError(_("日期不能晚于今天。"), code="in_future", field=field)
    return on


def _save(complaint, reason):
    complaint._change_reason = str(reason)
    complaint.save()
    return complaint


@transaction.atomic
def accept(complaint, actor, *, note="", on=None):
    """Accept (受理) within the 7 working days of 第十四条; the complainant sees it on the status page."""
    complaint = _lock(complaint)
    require_handler(complaint, actor)
    require_awaiting(complaint)
    on = _on(on, complaint)
    before = complaint.state
    complaint.state = ComplaintState.ACCEPTED
    complaint.accepted_on = on
    complaint.handled_by = actor
    _save(complaint, _("受理"))
    late = complaint.accept_due_on and on > complaint.accept_due_on
    public_note = _("%(agency)s已于%(date)s受理。") % {"agency": complaint.agency.name, "date": f"{on:%Y-%m-%d}"}
    _event(complaint, actor, _("受理"), note=public_note, from_state=before, to_state=complaint.state)
    if note.strip() or late:
        internal = note.strip()
        if late:
            internal = (internal + " " if internal else "") + _("超过受理期限（%(due)s）受理。") % {
                "due": f"{complaint.accept_due_on:%Y-%m-%d}"
            }
        _event(complaint, actor, _("受理意见"), note=internal, public=False)
    return complaint


@transaction.atomic
def refuse(complaint, actor, *, reason, on=None):
    """Refuse (不予受理) with the reason the complainant is told (第十五条 lists the grounds)."""
    complaint = _lock(complaint)
    require_handler(complaint, actor)
    require_awaiting(complaint)
    reason = _text(
        reason,
        "reason",
        _("请写明不予受理的理由，查询页面会告知投诉举报人（%(article)s）。") % {"article": ARTICLE_REFUSE},
    )
    on = _on(on, complaint)
    before = complaint.state
    complaint.state = ComplaintState.REJECTED
    complaint.rejected_on = on
    complaint.handled_by = actor
    complaint.reply = reason
    _save(complaint, _("不予受理"))
    _event(complaint, actor, _("不予受理"), note=reason, from_state=before, to_state=complaint.state)
    return complaint


@transaction.atomic
def transfer(complaint, actor, *, to_agency, reason):
    """Pass a complaint that is not this agency's to the competent one; its 7 working days start again."""
    complaint = _lock(complaint)
    require_handler(complaint, actor)
    require_awaiting(complaint)
    reason = _text(reason, "reason", _("请写明转办理由（为何不属于本机关处理）。"))
    _check_receiver(to_agency, complaint.agency_id)
    today = timezone.localdate()
    before, source = complaint.state, complaint.agency
    complaint.transferred_from = source
    complaint.transferred_on = today
    complaint.agency = to_agency
    complaint.state = ComplaintState.TRANSFERRED
    complaint.handled_by = None
    # 第十四条: the competent agency decides within 7 working days of receiving it, so counting restarts.
    complaint.accept_due_on = accept_due_on(today)
    complaint.routing_note = (_("由%(source)s转办：%(reason)s") % {"source": source.name, "reason": reason})[
        : routing.NOTE_LENGTH
    ]
    _save(complaint, _("转办"))
    _event(
        complaint,
        actor,
        _("转办"),
        note=_("%(source)s已转%(agency)s处理。") % {"source": source.name, "agency": to_agency.name},
        from_state=before,
        to_state=complaint.state,
    )
    _event(complaint, actor, _("转办理由"), note=reason, public=False)
    return complaint


def _check_receiver(to_agency, current_agency_id):
    if to_agency is None:
        raise ComplaintError(_("请选择接收的机关。"), code="to_agency_required", field="to_agency")
    if to_agency.pk == current_agency_id:
        raise ComplaintError(_("不能转给本机关，请选择其他机关。"), code="same_agency", field="to_agency")
    if to_agency.status != AgencyStatus.ACTIVE or to_agency.kind == AgencyKind.ENTRUSTED:
        raise ComplaintError(
            _("“%(agency)s”不能接收投诉举报（已暂停、撤销或为受委托组织），请选择其他机关。")
            % {"agency": to_agency.name},
            code="agency_cannot_receive",
            field="to_agency",
        )


@transaction.atomic
def assign(complaint, user, *, to_agency, reason):
    """The system administrator routes a complaint that routing could not place (agency empty)."""
    complaint = _lock(complaint)
    if not getattr(user, "is_superuser", False):
        raise ComplaintError(_("只有系统管理员才能人工分派投诉举报。"), code="not_admin")
    if complaint.agency_id is not None:
        raise ComplaintError(_("该投诉举报已有承办机关，请由承办机关转办。"), code="already_routed")
    require_awaiting(complaint)
    reason = _text(reason, "reason", _("请写明分派理由。"))
    _check_receiver(to_agency, None)
    today = timezone.localdate()
    complaint.agency = to_agency
    complaint.sector = complaint.sector or to_agency.sector
    # 第十四条: the competent agency decides within 7 working days of receiving it.
    complaint.accept_due_on = accept_due_on(today)
    complaint.routing_note = (_("系统管理员人工分派：%(reason)s") % {"reason": reason})[: routing.NOTE_LENGTH]
    _save(complaint, _("人工分派"))
    _routed_events(complaint)
    return complaint


@transaction.atomic
def make_lead(complaint, actor):
    """Register the complaint as a lead (线索) through the case workflow and link it (Complaint.case).

    The case's source is 投诉举报, so the path complaint → lead → case is recorded and
    举报案件查处率 can count it.
    """
    from cases.models import Source
    from cases.workflow import register_lead

    complaint = _lock(complaint)
    require_handler(complaint, actor)
    require_accepted(complaint, _("转为案件线索"))
    if complaint.case_id:
        raise ComplaintError(_("该投诉举报已转为案件线索，不能重复登记。"), code="already_lead")
    item = complaint.power_item
    if item is not None and not item.agencies.filter(pk=complaint.agency_id).exists():
        item = None  # an item this agency does not hold: the handler chooses one when filing
    summary = _("来源：投诉举报（查询码 %(code)s，%(date)s收到）。对象：%(subject)s%(uscc)s。%(content)s") % {
        "code": complaint.tracking_code,
        "date": f"{timezone.localtime(complaint.received_at):%Y-%m-%d}",
        "subject": complaint.subject_name,
        "uscc": f"（{complaint.subject_uscc}）" if complaint.subject_uscc else "",
        "content": complaint.content,
    }
    try:
        case = register_lead(
            agency=complaint.agency,
            actor=actor,
            source=Source.COMPLAINT,
            title=complaint.title,
            lead_received_on=timezone.localdate(complaint.received_at),
            lead_summary=summary,
            power_item=item,
        )
    except ValidationError as exc:
        raise ComplaintError("；".join(exc.messages), code="lead_refused") from None
    complaint.case = case
    complaint.handled_by = actor
    _save(complaint, _("转为案件线索"))
    _event(complaint, actor, _("转为案件线索"), note=_("已作为案件线索登记核查。"))
    _event(complaint, actor, _("登记线索"), note=_("线索编号：%(pk)s") % {"pk": case.pk}, public=False)
    return case


@transaction.atomic
def close(complaint, actor, *, reply, internal_note="", on=None):
    """Close (办结) with the reply the complainant reads on the status page."""
    complaint = _lock(complaint)
    require_handler(complaint, actor)
    require_accepted(complaint, _("办结"))
    reply = _text(reply, "reply", _("请填写答复意见，查询页面会告知投诉举报人。"))
    on = _on(on, complaint)
    if complaint.accepted_on and on < complaint.accepted_on:
        raise ComplaintError(_("办结日期不能早于受理日期。"), code="closed_before_accepted", field="on")
    before = complaint.state
    complaint.state = ComplaintState.CLOSED
    complaint.closed_on = on
    complaint.reply = reply
    if internal_note.strip():
        complaint.internal_note = internal_note.strip()
    complaint.handled_by = actor
    _save(complaint, _("办结"))
    _event(complaint, actor, _("办结"), note=reply, from_state=before, to_state=complaint.state)
    if internal_note.strip():
        _event(complaint, actor, _("内部处理意见"), note=internal_note.strip(), public=False)
    return complaint


def overdue_count(user, today=None):
    return complaints_in_scope(user).overdue(today).count()


def received_on(complaint):
    return timezone.localdate(complaint.received_at)


__all__ = [
    "ACCEPT_WORKING_DAYS",
    "ComplaintError",
    "accept",
    "accept_due_on",
    "available_actions",
    "close",
    "complaint_for",
    "complaints_in_scope",
    "find_by_code",
    "make_lead",
    "queue",
    "refuse",
    "submit",
    "transfer",
]
