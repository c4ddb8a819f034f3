"""Records of the procedural steps of an ordinary-procedure case."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Extension(models.Model):
    """An approved extension of the decision period (《行政处罚法》第六十条 and the procedural rules)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.TextField(_("延长理由"))
    approved_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("批准日期"))
    by_deliberation = models.BooleanField(_("经集体讨论决定"), default=False)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("办案期限延长")
        verbose_name_plural = pgettext_lazy("plural", "办案期限延长")
        ordering = ["approved_on", "pk"]

    def __str__(self):
        return f"延长 {self.days} 天（{self.approved_on}）"


class PriorNotice(models.Model):
    """事先告知 (《行政处罚法》第四十四条): the intended penalty, facts, reasons, basis and rights."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="prior_notice"
    )
    number = models.CharField(_("告知书文号"), max_length=64)
    served_on = models.DateField(_("送达日期"))
    hearing_right = models.BooleanField(_("告知听证权利"), default=False)
    statement_deadline = models.DateField(_("陈述申辩期限"))
    hearing_request_deadline = models.DateField(_("听证申请期限"), null=True, blank=True)
    statement = models.TextField(_("当事人陈述申辩"), blank=True)
    statement_adopted = models.BooleanField(_("陈述申辩意见是否采纳"), null=True, blank=True)
    waived_on = models.DateField(_("当事人放弃陈述申辩日期"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("事先告知")
        verbose_name_plural = pgettext_lazy("plural", "事先告知")

    def __str__(self):
        return self.number


class Hearing(models.Model):
    """听证 (《行政处罚法》第六十三条、第六十四条)."""

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="hearing")
    host = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("听证主持人"), on_delete=models.PROTECT, related_name="+"
    )
    notice_number = models.CharField(_("听证通知书文号"), max_length=64)
    notice_served_on = models.DateField(_("听证通知送达日期"))
    scheduled_on = models.DateField(_("听证日期"))
    place = models.CharField(_("听证地点"), max_length=256)
    public = models.BooleanField(_("公开举行"), default=True)
    held_on = models.DateField(_("举行日期"), null=True, blank=True)
    record = models.TextField(_("听证笔录"), blank=True)
    record_signed_by_party = models.BooleanField(_("当事人已签字确认笔录"), default=False)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("听证")
        verbose_name_plural = pgettext_lazy("plural", "听证")

    def __str__(self):
        return f"听证 {self.scheduled_on}"


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("同意")
    RETURNED = "returned", _("退回补充材料")
    DISAPPROVED = "disapproved", _("不同意")


# The statutory checklist of a legal review (国办发〔2018〕118号; 《行政处罚法》第五十八条).
REVIEW_CHECKLIST = [
    ("check_agency_and_officers", _("执法主体合法，执法人员具备执法资格")),
    ("check_procedure", _("执法程序合法")),
    ("check_facts_and_evidence", _("案件事实清楚，证据合法充分")),
    ("check_law_and_discretion", _("适用法律、法规、规章准确，裁量基准运用适当")),
    ("check_authority", _("执法决定未超越本机关职权范围")),
    ("check_documents", _("执法文书完备、规范")),
    ("check_crime_transfer", _("已审查是否涉嫌犯罪、需要移送司法机关")),
]


class LegalReview(models.Model):
    """One round of legal review (法制审核). A returned case comes back as a new round."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="legal_reviews"
    )
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    submitted_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    materials = models.TextField(_("送审材料说明"), blank=True)
    reviewer = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_reviews",
    )
    outcome = models.CharField(
        _("审核结论"), max_length=16, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING
    )
    opinion = models.TextField(_("审核意见"), blank=True)
    opinion_number = models.CharField(_("审核意见书文号"), max_length=64, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    check_agency_and_officers = models.BooleanField(REVIEW_CHECKLIST[0][1], default=False)
    check_procedure = models.BooleanField(REVIEW_CHECKLIST[1][1], default=False)
    check_facts_and_evidence = models.BooleanField(REVIEW_CHECKLIST[2][1], default=False)
    check_law_and_discretion = models.BooleanField(REVIEW_CHECKLIST[3][1], default=False)
    check_authority = models.BooleanField(REVIEW_CHECKLIST[4][1], default=False)
    check_documents = models.BooleanField(REVIEW_CHECKLIST[5][1], default=False)
    check_crime_transfer = models.BooleanField(REVIEW_CHECKLIST[6][1], default=False)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = pgettext_lazy("plural", "法制审核")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"法制审核 {self.submitted_at:%Y-%m-%d} {self.get_outcome_display()}"


class Deliberation(models.Model):
    """集体讨论 by the agency's responsible persons (《行政处罚法》第五十七条第二款)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="deliberations"
    )
    held_on = models.DateField(_("讨论日期"))
    participants = models.ManyToManyField("lawenforce.Officer", verbose_name=_("参加人员"), related_name="+")
    conclusion = models.TextField(_("讨论结论"))
    approves_deviation = models.BooleanField(_("同意偏离裁量基准"), default=False)
    deviation_reason = models.TextField(_("偏离裁量基准的书面理由"), blank=True)

    history = HistoricalRecords(m2m_fields=[participants])
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = pgettext_lazy("plural", "集体讨论")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"集体讨论 {self.held_on}"


class ServiceMethod(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("当场交付")
    DIRECT = "direct", _("直接送达")
    LEFT_AT_RESIDENCE = "left", _("留置送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    ENTRUSTED = "entrusted", _("委托送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")


class Service(models.Model):
    """Service of a document (送达, 《行政处罚法》第六十一条); the proof of service (送达回证)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="services")
    document = models.ForeignKey(
        "cases.Document",
        verbose_name=_("送达文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
    method = models.CharField(_("送达方式"), max_length=16, choices=ServiceMethod.choices)
    served_on = models.DateField(_("送达日期"))
    recipient = models.CharField(_("受送达人"), max_length=128)
    address = models.CharField(_("送达地点"), max_length=256, blank=True)
    served_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("送达人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("备注"), blank=True)
    # The receipt (存证回执) issued with the served decision: the document's ledger entry and the
    # signed checkpoint its inclusion proof is given against (lawenforce/ledger/receipts.py).
    ledger_index = models.BigIntegerField(_("文书存证序号"), null=True, blank=True)
    receipt_checkpoint = models.ForeignKey(
        "lawenforce.Checkpoint",
        verbose_name=_("回执检查点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The record's own salt for its personal fields' digests in the ledger (see cases.Party).
    ledger_salt = models.CharField(_("存证加盐值"), max_length=32, blank=True, default="", editable=False)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"
    ledger_personal_fields = ("recipient", "address")  # salted in the ledger (lawenforce/ledger/hooks.py)
    ledger_salt_field = "ledger_salt"

    class Meta:
        verbose_name = _("送达")
        verbose_name_plural = pgettext_lazy("plural", "送达")
        ordering = ["served_on", "pk"]

    def __str__(self):
        return f"{self.get_method_display()} {self.served_on}"
