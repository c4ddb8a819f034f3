"""Administrative reconsideration and litigation against a decision (行政复议、行政诉讼).

A remedy is recorded when the party applies or sues, and its outcome when the reconsideration body
or the court decides. It is not part of the dossier: remedies arrive months after archiving
(reconsideration within 60 days of knowing the decision, 《行政复议法》第二十条; litigation within six
months, 《行政诉讼法》第四十六条), so an archived case still takes them (cases.readonly exempts this
model). An overturned decision must be withdrawn from public disclosure (《行政处罚法》第四十八条第二款)
and counts towards the 复议诉讼败诉率 indicator.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class RemedyOutcome(models.TextChoices):
    UPHELD = "upheld", _("维持")
    REJECTED = "rejected", _("驳回申请或诉讼请求")
    WITHDRAWN = "withdrawn", _("撤回申请（撤诉）或终止")
    MEDIATED = "mediated", _("调解或和解结案")
    CHANGED = "changed", _("变更")
    REVOKED = "revoked", _("撤销")
    REMADE = "remade", _("撤销并责令重新作出")
    CONFIRMED_UNLAWFUL = "confirmed_unlawful", _("确认违法")
    CONFIRMED_VOID = "confirmed_void", _("确认无效")


# Outcomes in which the agency's decision does not stand (败诉): changed, revoked, to be re-made,
# confirmed unlawful or void. 《行政处罚法》第四十八条第二款 names exactly these for withdrawal.
OVERTURNING_OUTCOMES = frozenset(
    {
        RemedyOutcome.CHANGED,
        RemedyOutcome.REVOKED,
        RemedyOutcome.REMADE,
        RemedyOutcome.CONFIRMED_UNLAWFUL,
        RemedyOutcome.CONFIRMED_VOID,
    }
)


class Remedy(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(_("救济途径"), max_length=16, choices=RemedyKind.choices)
    body = models.CharField(_("复议机关或人民法院"), max_length=128)
    reference = models.CharField(_("复议或诉讼案号"), max_length=64, blank=True)
    filed_on = models.DateField(_("申请或起诉日期"))
    outcome = models.CharField(_("结果"), max_length=24, choices=RemedyOutcome.choices, blank=True)
    outcome_on = models.DateField(_("结果作出日期"), null=True, blank=True)
    outcome_summary = models.TextField(_("结果摘要"), blank=True)
    overturned = models.BooleanField(
        _("原决定被撤销、变更或确认违法"),
        default=False,
        help_text=_("由办案系统按结果填写：变更、撤销、责令重作、确认违法或无效。"),
    )
    recorded_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = pgettext_lazy("plural", "复议诉讼")
        ordering = ["filed_on", "pk"]
        indexes = [models.Index(fields=["outcome_on", "overturned"], name="remedy_outcome_on")]

    def __str__(self):
        text = f"{self.get_kind_display()}（{self.body}）"
        return f"{text}：{self.get_outcome_display()}" if self.outcome else text

    @property
    def pending(self):
        return not self.outcome
