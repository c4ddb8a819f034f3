"""Precomputed figures of the supervisor's dashboard (驾驶舱). A Celery task rewrites them
(supervision/dashboard/figures.py); the dashboard adds up the rows of the agencies in the
supervisor's region and never counts cases on a page view."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardFigure(models.Model):
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("执法主体"), on_delete=models.CASCADE, related_name="+"
    )
    metric = models.CharField(_("指标"), max_length=24)
    key = models.CharField(_("分项"), max_length=40)
    value = models.PositiveIntegerField(_("数值"))
    computed_at = models.DateTimeField(_("计算时间"))

    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("监督看板数据")
        verbose_name_plural = _("监督看板数据")
        indexes = [models.Index(fields=["metric", "agency"], name="figure_metric_agency")]

    def __str__(self):
        return f"{self.metric}/{self.key}: {self.value}"
