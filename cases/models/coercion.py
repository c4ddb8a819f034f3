"""Coercive measures inside a case: seal-up and seizure (查封、扣押, 《行政强制法》第二十五条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class MeasureKind(models.TextChoices):
    SEAL_UP = "seal_up", _("查封")
    SEIZURE = "seizure", _("扣押")


class MeasureState(models.TextChoices):
    IN_FORCE = "in_force", _("实施中")
    RELEASED = "released", _("已解除")
    DISPOSED = "disposed", _("已依法处理")


class CoerciveMeasure(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("措施"), max_length=16, choices=MeasureKind.choices)
    number = models.CharField(_("决定书文号"), max_length=64)
    decided_on = models.DateField(_("决定日期"))
    approved_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由和依据"))
    place = models.CharField(_("实施地点"), max_length=256, blank=True)
    ends_on = models.DateField(_("期限届满日"))
    extended_days = models.PositiveSmallIntegerField(_("延长天数"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_approved_by = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("延长批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paused_days = models.PositiveSmallIntegerField(
        _("检测、检验、鉴定期间（天）"),
        default=0,
        help_text=_("不计入查封、扣押期限（《行政强制法》第二十五条第三款）。"),
    )
    state = models.CharField(_("状态"), max_length=16, choices=MeasureState.choices, default=MeasureState.IN_FORCE)
    ended_on = models.DateField(_("解除或处理日期"), null=True, blank=True)
    end_reason = models.TextField(_("解除或处理理由"), blank=True)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("查封扣押")
        verbose_name_plural = pgettext_lazy("plural", "查封扣押")
        ordering = ["decided_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class SeizedItem(models.Model):
    """One line of the list of sealed or seized items (查封扣押清单)."""

    measure = models.ForeignKey(
        CoerciveMeasure, verbose_name=_("查封扣押"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("物品名称"), max_length=128)
    specification = models.CharField(_("规格"), max_length=128, blank=True)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=16)
    note = models.CharField(_("备注"), max_length=256, blank=True)

    history = HistoricalRecords()
    scope_agency_lookup = "measure__case__agency"

    class Meta:
        verbose_name = _("查封扣押物品")
        verbose_name_plural = pgettext_lazy("plural", "查封扣押物品")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} {self.quantity}{self.unit}"
