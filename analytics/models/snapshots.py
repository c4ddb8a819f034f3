"""Snapshots the pages and exports read: indicator values per scope and period, repeat parties,
and the log of refresh runs. Written only by analytics.compute (Celery tasks and the
recompute_indicators command); a page view never recomputes them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    AGENCY = "agency", _("执法主体")
    REGION = "region", _("行政区划")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class IndicatorValue(models.Model):
    """One indicator for one scope (an agency, or a region with everything below it) and one
    period (a month, a quarter or a year). `number` is the month (1–12), the quarter (1–4) or 0."""

    indicator = models.CharField(_("指标"), max_length=32)
    scope_kind = models.CharField(_("范围类型"), max_length=8, choices=ScopeKind.choices)
    agency = models.ForeignKey(
        "lawenforce.Agency", null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    region = models.ForeignKey(
        "lawenforce.Region", null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    period_kind = models.CharField(_("期间类型"), max_length=8, choices=PeriodKind.choices)
    year = models.SmallIntegerField(_("年度"))
    number = models.SmallIntegerField(_("月份或季度"))
    numerator = models.BigIntegerField(_("分子"), null=True)
    denominator = models.BigIntegerField(_("分母"), null=True)
    value = models.DecimalField(_("指标值"), max_digits=16, decimal_places=6, null=True)
    # 违法类型发生率: the most frequent violation type (power item) of the scope and period.
    key_item = models.ForeignKey(
        "lawenforce.PowerItem", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        indexes = [
            models.Index(fields=["indicator", "agency", "period_kind", "year", "number"], name="value_agency"),
            models.Index(fields=["indicator", "region", "period_kind", "year", "number"], name="value_region"),
            models.Index(fields=["year", "period_kind", "number"], name="value_period"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.scope_kind} {self.agency_id or self.region_id} {self.year}/{self.period_kind}/{self.number}"


class RepeatParty(models.Model):
    """Decisions that established a violation against one party (by USCC, or a natural person's
    ID number), per agency and year, kept only for parties with two or more such decisions."""

    identifier = models.CharField(_("统一社会信用代码或身份证号码"), max_length=18, db_index=True)
    is_person = models.BooleanField(_("自然人"), default=False)
    name = models.CharField(_("名称或姓名"), max_length=128)
    party_kind = models.CharField(_("当事人类型"), max_length=24)
    agency = models.ForeignKey("lawenforce.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    year = models.SmallIntegerField(_("年度"))
    decisions = models.IntegerField(_("违法决定数"))
    penalties = models.IntegerField(_("处罚决定数"))
    fines = models.DecimalField(_("罚款金额（元）"), max_digits=16, decimal_places=2, default=0)
    last_decided_on = models.DateField(_("最近决定日期"))

    class Meta:
        verbose_name = _("多次违法当事人")
        verbose_name_plural = _("多次违法当事人")
        indexes = [models.Index(fields=["agency", "year"], name="repeatparty_agency_year")]

    def __str__(self):
        return f"{self.name} {self.year}: {self.decisions}"


class RefreshRun(models.Model):
    """One computation: a full recompute of a year for a province, or an incremental refresh."""

    FULL, INCREMENTAL = "full", "incremental"
    kind = models.CharField(_("类型"), max_length=12, choices=[(FULL, _("全量重算")), (INCREMENTAL, _("增量更新"))])
    region = models.ForeignKey("lawenforce.Region", null=True, on_delete=models.SET_NULL, related_name="+")
    year = models.SmallIntegerField(_("年度"), null=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True)
    cases = models.IntegerField(_("变动案件数"), default=0)
    cells = models.IntegerField(_("重算单元数"), default=0)
    values = models.IntegerField(_("写入指标值"), default=0)

    class Meta:
        verbose_name = _("指标计算记录")
        verbose_name_plural = _("指标计算记录")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"
