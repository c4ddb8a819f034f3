"""Annual enforcement statistics reports (行政执法年度统计, T-annual).

For each agency, ``disclosure.annual.build_reports(year)`` (a Celery beat task on 1 January, and
``manage.py build_annual_reports --year Y``) assembles a draft with the figures of
``analytics.annual.annual_figures``; the agency head reviews them, adds a note and publishes. The
previous year's statistics must be published by 31 January (国办发〔2018〕118号, seed 001 §二(一)3):
``due_on`` is that date and a later publication is flagged and shown to supervision.
"""

import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AnnualReportState(models.TextChoices):
    DRAFT = "draft", _("待发布")
    PUBLISHED = "published", _("已公开")


def annual_due_on(year):
    """The statutory date for the statistics of `year`: 31 January of the next year (T-annual)."""
    return datetime.date(year + 1, 1, 31)


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=AnnualReportState.PUBLISHED)

    def late(self, today=None):
        """Published after the due date, or still unpublished once it has passed."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(state=AnnualReportState.PUBLISHED, published_on__gt=models.F("due_on"))
            | models.Q(state=AnnualReportState.DRAFT, due_on__lt=today)
        )


class AnnualReport(models.Model):
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("统计年度"))
    figures = models.JSONField(_("统计数据"), default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(
        _("状态"), max_length=16, choices=AnnualReportState.choices, default=AnnualReportState.DRAFT
    )
    due_on = models.DateField(_("公开期限"))
    built_at = models.DateTimeField(_("数据生成时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True, help_text=_("本机关对统计数据的说明，随年报一并公开。"))
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ledger_index = models.PositiveBigIntegerField(_("存证序号"), null=True, blank=True)

    history = HistoricalRecords()
    objects = AnnualReportQuerySet.as_manager()
    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("行政执法年度统计")
        verbose_name_plural = _("行政执法年度统计")
        ordering = ["-year", "agency__region__path", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annual_report_agency_year")]
        indexes = [models.Index(fields=["state", "year"], name="annual_report_state_year")]

    def __str__(self):
        return f"{self.agency}{self.year}年度"

    @property
    def is_published(self):
        return self.state == AnnualReportState.PUBLISHED

    def is_late(self, today=None):
        """T-annual: published after 31 January, or not yet published once that day has passed."""
        if self.is_published:
            return self.published_on is not None and self.published_on > self.due_on
        return (today or timezone.localdate()) > self.due_on
