"""The case (案件): one administrative penalty matter from the lead to the archived dossier.

Only `cases.workflow` changes `Case.state` and the step records; every change is kept by
django-simple-history and summarised in `CaseEvent` for the timeline.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("普通程序")
    SUMMARY = "summary", _("简易程序（当场处罚）")


class Source(models.TextChoices):
    COMPLAINT = "complaint", _("投诉举报")
    INSPECTION = "inspection", _("监督检查")
    ASSIGNED = "assigned", _("上级交办")
    TRANSFERRED = "transferred", _("部门移送")
    OTHER = "other", _("其他")


class CaseState(models.TextChoices):
    LEAD = "lead", _("线索登记")
    NOT_FILED = "not_filed", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    UNDER_REVIEW = "under_review", _("案件审核")
    NOTIFIED = "notified", _("已事先告知")
    HEARING = "hearing", _("听证")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    DELIBERATION = "deliberation", _("集体讨论")
    PENDING_DECISION = "pending_decision", _("待决定")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    EXECUTING = "executing", _("执行中")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")


class DecisionKind(models.TextChoices):
    """What the head decides after investigation, 《行政处罚法》第五十七条."""

    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY_MINOR = "no_penalty_minor", _("违法行为轻微并及时改正，不予行政处罚")
    NO_PENALTY_FIRST = "no_penalty_first", _("初次违法且危害后果轻微并及时改正，不予行政处罚")
    NO_PENALTY_NO_FAULT = "no_penalty_no_fault", _("无主观过错，不予行政处罚")
    NOT_ESTABLISHED = "not_established", _("违法事实不能成立，不予行政处罚")
    TRANSFER = "transfer", _("涉嫌犯罪，移送司法机关")
    DISMISSED = "dismissed", _("撤销案件")


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state__in=[CaseState.NOT_FILED, CaseState.CLOSED, CaseState.ARCHIVED])


class Case(models.Model):
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="cases"
    )
    procedure = models.CharField(_("程序"), max_length=16, choices=Procedure.choices, default=Procedure.ORDINARY)
    state = models.CharField(_("状态"), max_length=24, choices=CaseState.choices, default=CaseState.LEAD, db_index=True)
    number = models.CharField(_("案号"), max_length=64, blank=True, db_index=True)
    title = models.CharField(_("案由"), max_length=256)
    power_item = models.ForeignKey(
        "lawenforce.PowerItem",
        verbose_name=_("权责事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # Lead (线索)
    source = models.CharField(_("案件来源"), max_length=16, choices=Source.choices)
    lead_received_on = models.DateField(_("线索接收日期"))
    lead_summary = models.TextField(_("线索内容"), blank=True)
    registered_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="registered_cases"
    )
    # Filing (立案)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    handlers = models.ManyToManyField(
        "lawenforce.Officer", verbose_name=_("承办人员"), related_name="handled_cases", blank=True
    )
    violation_date = models.DateField(_("违法行为发生日期"), null=True, blank=True)
    violation_continuing_until = models.DateField(
        _("违法行为终了日期"),
        null=True,
        blank=True,
        help_text=_("连续或继续状态的违法行为，时效从终了之日起计算（《行政处罚法》第三十六条）。"),
    )
    involves_life_health_or_finance = models.BooleanField(
        _("涉及公民生命健康安全、金融安全且有危害后果"),
        default=False,
        help_text=_("追责期限延长至五年（《行政处罚法》第三十六条）。"),
    )
    # Investigation result and proposed penalty (调查终结、拟处罚)
    facts = models.TextField(_("违法事实"), blank=True)
    evidence_summary = models.TextField(_("证据"), blank=True)
    discretion_standard = models.ForeignKey(
        "lawenforce.DiscretionStandard", verbose_name=_("适用裁量基准"), null=True, blank=True, on_delete=models.PROTECT
    )
    proposed_penalty_kinds = models.JSONField(_("拟处罚种类"), default=list, blank=True)
    proposed_fine = models.DecimalField(_("拟罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    proposed_confiscation = models.DecimalField(
        _("拟没收违法所得（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_base_amount = models.DecimalField(
        _("计罚基数（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("按倍数计罚时的违法所得、货值或费用金额。"),
    )
    deviation_reason = models.TextField(_("偏离裁量基准的理由"), blank=True)
    # Why legal review / collective deliberation is needed (《行政处罚法》第五十七条、第五十八条)
    is_major = models.BooleanField(_("重大执法决定"), default=False)
    major_reason = models.CharField(_("重大执法决定情形"), max_length=256, blank=True)
    is_complex = models.BooleanField(_("情节复杂或重大违法行为"), default=False)
    # Decision (决定)
    decision_kind = models.CharField(_("决定类型"), max_length=24, choices=DecisionKind.choices, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=64, blank=True, db_index=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscated_amount = models.DecimalField(
        _("没收违法所得（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decision_text = models.TextField(_("决定内容"), blank=True)
    # Summary procedure (简易程序): the on-the-spot report to the agency (《行政处罚法》第五十二条)
    spot_place = models.CharField(_("当场处罚地点"), max_length=256, blank=True)
    reported_on = models.DateField(_("报所属机关备案日期"), null=True, blank=True)
    # Service, execution, closing, archiving
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    payment_due_on = models.DateField(_("缴款期限"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[handlers])
    objects = CaseQuerySet.as_manager()
    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = pgettext_lazy("plural", "案件")
        ordering = ["-created_at"]
        # The case lists: an agency's cases newest first, optionally in one state.
        indexes = [
            models.Index(fields=["agency", "-created_at", "-id"], name="case_agency_recent"),
            models.Index(fields=["agency", "state", "-created_at"], name="case_agency_state_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], condition=~models.Q(number=""), name="unique_case_number_per_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "decision_number"],
                condition=~models.Q(decision_number=""),
                name="unique_decision_number_per_agency",
            ),
        ]

    def __str__(self):
        return self.reference or f"{self.get_state_display()}：{self.title}"

    @property
    def reference(self):
        """The number a user knows the case by: the case number, or for an on-the-spot case
        (never filed) its decision number."""
        return self.number or self.decision_number


class CaseEvent(models.Model):
    """One step on the case's timeline: who did what, when, in words a supervisor can read."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("环节"), max_length=48)
    from_state = models.CharField(_("原状态"), max_length=24, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=CaseState.choices, blank=True)
    summary = models.TextField(_("说明"), blank=True)

    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("案件环节记录")
        verbose_name_plural = pgettext_lazy("plural", "案件环节记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
