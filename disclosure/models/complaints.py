"""Complaints and reports from the public (投诉举报).

A member of the public files one through the public form, named or anonymously, with
attachments; it is routed to the competent agency by region and matter (disclosure.complaints),
which accepts or refuses it within 7 working days (《市场监督管理投诉举报处理暂行办法》, the default
for every agency kind: legal-rules.md), may transfer it, turns it into a lead (and so a case)
through ``cases.workflow.register_lead`` and closes it with a reply.

The complainant's personal data (name, phone, e-mail, ID number) is visible only to the agency
handling the complaint and never on a public page; the status page (by tracking code) shows the
state, the dates and the reply. ``ComplaintEvent`` is the complaint's timeline; only events marked
``public`` appear on the status page.
"""

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lawenforce.validators import validate_phone, validate_resident_id, validate_uscc


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    TRANSFERRED = "transferred", _("已转办")
    CLOSED = "closed", _("已办结")


# States in which the competent agency still owes the acceptance decision.
AWAITING_ACCEPTANCE = (ComplaintState.RECEIVED, ComplaintState.TRANSFERRED)


class ComplaintQuerySet(models.QuerySet):
    def awaiting_acceptance(self):
        return self.filter(state__in=AWAITING_ACCEPTANCE)

    def overdue(self, today=None):
        """Still awaiting acceptance after the 7 working days."""
        today = today or timezone.localdate()
        return self.awaiting_acceptance().filter(accept_due_on__lt=today)


class Complaint(models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=16, choices=ComplaintKind.choices)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    region = models.ForeignKey(
        "lawenforce.Region", verbose_name=_("发生地"), on_delete=models.PROTECT, related_name="complaints"
    )
    sector = models.CharField(_("所属领域"), max_length=16, blank=True)
    agency = models.ForeignKey(
        "lawenforce.Agency",
        verbose_name=_("承办机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    power_item = models.ForeignKey(
        "lawenforce.PowerItem",
        verbose_name=_("涉及事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    state = models.CharField(_("状态"), max_length=16, choices=ComplaintState.choices, default=ComplaintState.RECEIVED)
    accept_due_on = models.DateField(
        _("受理期限"), null=True, blank=True, help_text=_("收到之日起7个工作日内决定是否受理；节假日安排未知时为空。")
    )
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转为线索的案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    routing_note = models.CharField(_("分派说明"), max_length=256, blank=True)

    # --- The complainant: never shown publicly ---------------------------------------------------
    anonymous = models.BooleanField(_("匿名"), default=False)
    complainant_name = models.CharField(_("投诉举报人姓名"), max_length=64, blank=True)
    complainant_phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[validate_phone])
    complainant_email = models.EmailField(_("电子邮箱"), blank=True)
    complainant_id_number = models.CharField(
        _("居民身份证号码"), max_length=18, blank=True, validators=[validate_resident_id]
    )

    # --- The matter ------------------------------------------------------------------------------
    subject_name = models.CharField(_("被投诉举报对象"), max_length=128)
    subject_uscc = models.CharField(_("对象统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    subject_address = models.CharField(_("对象地址"), max_length=256, blank=True)
    title = models.CharField(_("事由"), max_length=200)
    content = models.TextField(_("具体情况"))
    occurred_on = models.DateField(_("发生日期"), null=True, blank=True)
    place = models.CharField(_("发生地点"), max_length=256, blank=True)

    # --- Handling --------------------------------------------------------------------------------
    handled_by = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejected_on = models.DateField(_("不予受理日期"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "lawenforce.Agency",
        verbose_name=_("转出机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_on = models.DateField(_("转办日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    reply = models.TextField(_("答复意见"), blank=True, help_text=_("告知投诉举报人的处理结果，查询页面可见。"))
    internal_note = models.TextField(_("内部处理意见"), blank=True)

    history = HistoricalRecords()
    objects = ComplaintQuerySet.as_manager()
    scope_agency_lookup = "agency"
    # Salted in the ledger's history leaves (lawenforce/ledger/hooks.py); the free text may hold
    # personal details too.
    ledger_personal_fields = (
        "complainant_name",
        "complainant_phone",
        "complainant_email",
        "complainant_id_number",
        "subject_address",
        "content",
        "place",
    )

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = pgettext_lazy("plural", "投诉举报")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state", "-received_at"], name="complaint_agency_state"),
            models.Index(fields=["state", "accept_due_on"], name="complaint_state_due"),
            # The analytics refresh counts an agency's complaints of a month (its cells).
            models.Index(fields=["agency", "received_at"], name="complaint_agency_received"),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    @property
    def awaiting_acceptance(self):
        return self.state in AWAITING_ACCEPTANCE


def complaint_upload_to(instance, filename):
    """complaints/<year>/<month>/<uuid>.<sniffed extension>: nothing of the uploader's file name."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"complaints/{timezone.localtime():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉举报"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=complaint_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=128)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    scope_agency_lookup = "complaint__agency"

    class Meta:
        verbose_name = _("投诉举报附件")
        verbose_name_plural = _("投诉举报附件")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def download_name(self):
        return self.original_name or PurePosixPath(self.file.name).name


class ComplaintEvent(models.Model):
    """One step on a complaint's timeline. ``public`` events are shown on the status page."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("投诉举报"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("环节"), max_length=48)
    from_state = models.CharField(_("原状态"), max_length=16, choices=ComplaintState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=ComplaintState.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("公开"), default=True, help_text=_("在查询页面向投诉举报人显示。"))

    scope_agency_lookup = "complaint__agency"

    class Meta:
        verbose_name = _("投诉举报处理记录")
        verbose_name_plural = _("投诉举报处理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
