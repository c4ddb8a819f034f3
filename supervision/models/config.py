"""What an administrator configures about supervision (admin › 执法监督): the thresholds the law
leaves open, and each rule switched on or off. Stored as data, read once per sweep."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .alerts import Severity


class SupervisionSettings(models.Model):
    """One row (pk=1). `SupervisionSettings.current()` creates it with the defaults when missing."""

    due_soon_days = models.PositiveSmallIntegerField(
        _("期限临近预警天数"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("距立案、作出决定的法定期限届满不超过此天数时发出临近预警。"),
    )
    backfill_days = models.PositiveSmallIntegerField(
        _("补录判定天数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("办案环节录入系统的时间晚于其记载的日期超过此天数的，视为事后补录（不得补录，见菏泽市实施方案）。"),
    )
    notice_response_days = models.PositiveSmallIntegerField(
        _("督办答复期限（工作日）"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("监督意见书、督办通知书默认的答复期限，按工作日计算。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("监督参数")
        verbose_name_plural = _("监督参数")

    def __str__(self):
        return str(_("监督参数"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]


class RuleSetting(models.Model):
    """An administrator's choice for one rule: off, or another severity than the catalogue's."""

    rule = models.CharField(_("监督规则"), max_length=40, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)
    severity = models.CharField(_("严重程度（覆盖默认）"), max_length=8, choices=Severity.choices, blank=True)

    class Meta:
        verbose_name = _("监督规则设置")
        verbose_name_plural = _("监督规则设置")
        ordering = ["rule"]

    def __str__(self):
        return self.rule
