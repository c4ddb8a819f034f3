"""Performance evaluation (执法考核评价): a configurable scheme turns alerts, dossier evaluations,
supervision notices and case figures into a score per agency for a period."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ScoringMethod(models.TextChoices):
    RATE = "rate", _("按比率得分：分值 × 指标比率")
    DEDUCT = "deduct", _("按次扣分：分值 − 每次扣分 × 次数，扣完为止")


class PerformanceScheme(models.Model):
    name = models.CharField(_("方案名称"), max_length=128, unique=True)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核评价方案")
        verbose_name_plural = pgettext_lazy("plural", "考核评价方案")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchemeItem(models.Model):
    scheme = models.ForeignKey(
        PerformanceScheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.CharField(_("指标"), max_length=32)
    label = models.CharField(_("考核项目"), max_length=128)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    method = models.CharField(_("计分方法"), max_length=8, choices=ScoringMethod.choices)
    per_unit = models.DecimalField(_("每次扣分"), max_digits=6, decimal_places=2, default=0)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = pgettext_lazy("plural", "考核项目")
        ordering = ["scheme", "order", "pk"]

    def __str__(self):
        return self.label


class PerformanceEvaluation(models.Model):
    """One run of a scheme over the agencies of a bureau's region for a period."""

    scheme = models.ForeignKey(PerformanceScheme, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="runs")
    bureau = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("组织考核的司法行政部门"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("考核期起"))
    period_end = models.DateField(_("考核期止"))
    created_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("计算人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    # The scheme as it was when computed: [{"indicator", "label", "points", "method", "per_unit"}].
    scheme_snapshot = models.JSONField(_("方案快照"), default=list)

    scope_agency_lookup = "bureau"

    class Meta:
        verbose_name = _("考核评价")
        verbose_name_plural = pgettext_lazy("plural", "考核评价")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.scheme} {self.period_start}—{self.period_end}"


class PerformanceScore(models.Model):
    evaluation = models.ForeignKey(
        PerformanceEvaluation, verbose_name=_("考核评价"), on_delete=models.CASCADE, related_name="scores"
    )
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"))
    # [{"label", "raw", "points", "max", "note"}] in the order of the scheme.
    breakdown = models.JSONField(_("得分明细"), default=list)

    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = pgettext_lazy("plural", "考核得分")
        ordering = ["evaluation", "rank", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "agency"], name="unique_score_per_agency")]

    def __str__(self):
        return f"{self.agency}: {self.total}"
