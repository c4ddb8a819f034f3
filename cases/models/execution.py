"""Execution of a penalty decision (执行): payments, deferral and instalments, application to court."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Payment(models.Model):
    """A payment of the fine (and surcharge) at a bank or electronically (《行政处罚法》第六十七条)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("缴纳金额（元）"), max_digits=14, decimal_places=2)
    surcharge_part = models.DecimalField(_("其中加处罚款（元）"), max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField(_("缴款日期"))
    receipt_number = models.CharField(_("票据号码"), max_length=64)
    recorded_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("缴款记录")
        verbose_name_plural = pgettext_lazy("plural", "缴款记录")
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.paid_on} ¥{self.amount}"


class ArrangementKind(models.TextChoices):
    DEFERRAL = "deferral", _("延期缴纳")
    INSTALMENTS = "instalments", _("分期缴纳")


class PaymentArrangement(models.Model):
    """Approved deferral or instalments (《行政处罚法》第六十六条第二款)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="arrangements"
    )
    kind = models.CharField(_("方式"), max_length=16, choices=ArrangementKind.choices)
    applied_on = models.DateField(_("申请日期"))
    approved_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("批准日期"))
    final_due_on = models.DateField(_("最终缴清期限"))
    instalments = models.JSONField(
        _("分期计划"), default=list, blank=True, help_text=_('[{"due_on": "2026-12-01", "amount": "1000.00"}, …]')
    )
    reason = models.TextField(_("理由"))

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("延期（分期）缴纳")
        verbose_name_plural = pgettext_lazy("plural", "延期（分期）缴纳")
        ordering = ["approved_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}（至 {self.final_due_on}）"


class CourtApplication(models.Model):
    """Reminder (催告) and application to the people's court for compulsory execution (ACL arts. 35, 53, 54)."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="court_application"
    )
    reminder_served_on = models.DateField(_("催告书送达日期"))
    applied_on = models.DateField(_("申请日期"), null=True, blank=True)
    court = models.CharField(_("受理法院"), max_length=128, blank=True)
    outcome = models.TextField(_("执行结果"), blank=True)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("申请强制执行")
        verbose_name_plural = pgettext_lazy("plural", "申请强制执行")

    def __str__(self):
        return f"申请强制执行 {self.applied_on or ''}".strip()
