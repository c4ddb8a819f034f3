"""The risk list (风险提示): what the indicators flag for a supervisor to act on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskState(models.TextChoices):
    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已关注，跟进中")
    RESOLVED = "resolved", _("已处理")
    DISMISSED = "dismissed", _("不予处理")
    CLEARED = "cleared", _("指标已恢复，自动解除")


class RiskItem(models.Model):
    """One risk: a rule (analytics/risks.py) that an agency's figures for a period meet.

    Recomputed with the indicators; the supervisor's disposition (state, note) survives
    recomputation, and a risk whose figures recover is marked cleared, not deleted."""

    rule = models.CharField(_("风险规则"), max_length=32)
    agency = models.ForeignKey("lawenforce.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField(_("年度"))
    indicator = models.CharField(_("指标"), max_length=32, blank=True)
    value = models.DecimalField(_("指标值"), max_digits=16, decimal_places=6, null=True)
    numerator = models.BigIntegerField(_("分子"), null=True)
    denominator = models.BigIntegerField(_("分母"), null=True)
    detail = models.CharField(_("说明"), max_length=256)
    first_seen_at = models.DateTimeField(_("首次发现"))
    updated_at = models.DateTimeField(_("更新时间"))
    state = models.CharField(_("处理状态"), max_length=16, choices=RiskState.choices, default=RiskState.OPEN)
    note = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("风险提示")
        verbose_name_plural = _("风险提示")
        ordering = ["state", "-updated_at"]
        constraints = [models.UniqueConstraint(fields=["rule", "agency", "year"], name="unique_risk")]

    def __str__(self):
        return f"{self.rule} {self.agency_id} {self.year}"
