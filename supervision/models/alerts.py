"""Alerts (预警): one per supervision rule and case, with its lifecycle.

An alert is raised by a rule (supervision/rules/) when a case meets the rule's condition, after
the step that made it so has committed (event rules) or by the nightly sweep (schedule rules).
There is never more than one alert per rule and case: a rule that still fires on the next run
refreshes `last_seen_at` instead of raising a second one. The lifecycle is
open → notified → rectified | dismissed; every change is an `AlertEntry`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AlertState(models.TextChoices):
    OPEN = "open", _("待处理")
    NOTIFIED = "notified", _("已通知整改")
    RECTIFIED = "rectified", _("已整改")
    DISMISSED = "dismissed", _("已撤销")


# States in which an alert still asks something of somebody.
ACTIVE_STATES = (AlertState.OPEN, AlertState.NOTIFIED)


class Severity(models.TextChoices):
    HIGH = "high", _("严重")
    MEDIUM = "medium", _("一般")
    LOW = "low", _("提示")


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class Alert(models.Model):
    rule = models.CharField(_("监督规则"), max_length=40, db_index=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="alerts")
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="supervision_alerts"
    )
    state = models.CharField(_("状态"), max_length=16, choices=AlertState.choices, default=AlertState.OPEN)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    raised_at = models.DateTimeField(_("预警时间"), default=timezone.now, db_index=True)
    facts = models.JSONField(_("触发事实"), default=dict, blank=True)
    # Snapshots of the rule at raising time, so that an alert still reads right if the catalogue changes.
    title = models.CharField(_("预警事项"), max_length=128)
    article = models.CharField(_("依据条款"), max_length=256, blank=True)
    message = models.TextField(_("预警说明"), blank=True)
    last_seen_at = models.DateTimeField(_("最近一次核查仍存在"), null=True, blank=True)
    cleared_at = models.DateTimeField(
        _("情形消除时间"), null=True, blank=True, help_text=_("规则复核时不再触发的时间。")
    )
    notified_at = models.DateTimeField(_("通知整改时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.TextField(_("整改情况或撤销理由"), blank=True)

    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("监督预警")
        verbose_name_plural = pgettext_lazy("plural", "监督预警")
        ordering = ["-raised_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["rule", "case"], name="unique_alert_per_rule_and_case")]
        indexes = [
            models.Index(fields=["agency", "state", "-raised_at"], name="alert_agency_state_recent"),
            models.Index(fields=["rule", "state"], name="alert_rule_state"),
        ]

    def __str__(self):
        return f"{self.rule} {self.title}"

    @property
    def active(self):
        return self.state in ACTIVE_STATES

    @property
    def display_title(self):
        """The rule's title in the reader's language; the snapshot if the rule is gone."""
        from supervision.rules import get_rule

        rule = get_rule(self.rule)
        return str(rule.title) if rule else self.title


class EntryKind(models.TextChoices):
    RAISED = "raised", _("系统预警")
    NOTIFIED = "notified", _("通知整改")
    RESPONSE = "response", _("执法机关答复")
    RECTIFIED = "rectified", _("整改完成")
    DISMISSED = "dismissed", _("撤销预警")
    REOPENED = "reopened", _("重新打开")
    CLEARED = "cleared", _("系统复核：情形已消除")
    RECURRED = "recurred", _("系统复核：情形再次出现")


class AlertEntry(models.Model):
    """One line of an alert's record: who did what and when (append-only)."""

    alert = models.ForeignKey(Alert, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("事项"), max_length=16, choices=EntryKind.choices)
    from_state = models.CharField(_("原状态"), max_length=16, choices=AlertState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=AlertState.choices, blank=True)
    text = models.TextField(_("内容"), blank=True)

    scope_agency_lookup = "alert__agency"

    class Meta:
        verbose_name = _("预警处理记录")
        verbose_name_plural = pgettext_lazy("plural", "预警处理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
