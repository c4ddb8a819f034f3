"""The catalogue of power items (权责清单), their legal provisions and discretion standards."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ActionCategory(models.TextChoices):
    """The national list of categories of administrative action (行政执法行为类别)."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    REQUISITION = "requisition", _("行政征用")
    BENEFIT = "benefit", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他")


class LawLevel(models.TextChoices):
    LAW = "law", _("法律")
    REGULATION = "regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    DEPARTMENT_RULE = "department_rule", _("部门规章")
    LOCAL_RULE = "local_rule", _("地方政府规章")


class Law(models.Model):
    name = models.CharField(_("名称"), max_length=128, unique=True, help_text=_("不含书名号，例如：中华人民共和国行政处罚法"))
    level = models.CharField(_("效力层级"), max_length=24, choices=LawLevel.choices)
    issuer = models.CharField(_("制定机关"), max_length=128, blank=True)
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    version_note = models.CharField(_("版本说明"), max_length=128, blank=True, help_text=_("例如：2021年1月22日修订"))

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = pgettext_lazy("plural", "法律法规")
        ordering = ["name"]

    def __str__(self):
        return f"《{self.name}》"


class LegalProvision(models.Model):
    law = models.ForeignKey(Law, verbose_name=_("法律法规"), on_delete=models.PROTECT, related_name="provisions")
    article = models.PositiveSmallIntegerField(_("条"), validators=[MinValueValidator(1)])
    paragraph = models.PositiveSmallIntegerField(_("款"), null=True, blank=True, validators=[MinValueValidator(1)])
    item = models.PositiveSmallIntegerField(_("项"), null=True, blank=True, validators=[MinValueValidator(1)])
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("法律依据")
        verbose_name_plural = _("法律依据")
        ordering = ["law__name", "article", "paragraph", "item"]
        constraints = [
            # Coalesce, not nulls_distinct: SQLite cannot do NULLS NOT DISTINCT, and an article
            # cited without paragraph must still be unique on both databases.
            models.UniqueConstraint(
                models.F("law"),
                models.F("article"),
                Coalesce("paragraph", models.Value(0)),
                Coalesce("item", models.Value(0)),
                name="unique_provision",
                violation_error_message=_("这一条款已经登记过了，请直接选用已有的法律依据。"),
            )
        ]

    def __str__(self):
        return f"{self.law}{self.citation}"

    @property
    def citation(self):
        from lawenforce.numerals import chinese_number

        parts = [f"第{chinese_number(self.article)}条"]
        if self.paragraph:
            parts.append(f"第{chinese_number(self.paragraph)}款")
        if self.item:
            parts.append(f"第（{chinese_number(self.item)}）项")
        return "".join(parts)

    def clean(self):
        if self.item and not self.paragraph:
            raise ValidationError({"paragraph": _("引用到“项”时请同时填写“款”（只有一款的条文填 1）。")})


class PowerItemQuerySet(models.QuerySet):
    def held_by(self, agency):
        return self.filter(agencies=agency)


class PowerItem(models.Model):
    code = models.CharField(_("事项编码"), max_length=64, unique=True)
    name = models.CharField(_("事项名称"), max_length=256)
    action_category = models.CharField(_("行为类别"), max_length=16, choices=ActionCategory.choices)
    enforcement_category = models.ForeignKey(
        "lawenforce.EnforcementCategory",
        verbose_name=_("执法类别"),
        on_delete=models.PROTECT,
        related_name="power_items",
    )
    agencies = models.ManyToManyField(
        "lawenforce.Agency", verbose_name=_("实施主体"), related_name="power_items", blank=True
    )
    provisions = models.ManyToManyField(LegalProvision, verbose_name=_("法律依据"), related_name="power_items")
    # 《行政处罚法》第六十三条 "较大数额": set by provinces and ministries; blank means the region default.
    hearing_threshold_person = models.DecimalField(
        _("听证较大数额（自然人）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hearing_threshold_org = models.DecimalField(
        _("听证较大数额（法人或其他组织）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(_("有效"), default=True)

    history = HistoricalRecords()
    objects = PowerItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("权责事项")
        verbose_name_plural = _("权责清单")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Circumstance(models.TextChoices):
    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class PenaltyKind(models.TextChoices):
    """Kinds of administrative penalty, 《行政处罚法》第九条."""

    NONE = "none", _("不予处罚")
    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_ACTIVITY = "restrict_activity", _("限制开展生产经营活动")
    STOP_BUSINESS = "stop_business", _("责令停产停业")
    CLOSE = "close", _("责令关闭")
    RESTRICT_PRACTICE = "restrict_practice", _("限制从业")
    DETENTION = "detention", _("行政拘留")
    OTHER = "other", _("法律、行政法规规定的其他行政处罚")


class FineBasis(models.TextChoices):
    NONE = "none", _("不罚款")
    FIXED = "fixed", _("固定金额")
    GAINS_MULTIPLE = "gains_multiple", _("违法所得的倍数")
    VALUE_MULTIPLE = "value_multiple", _("货值金额的倍数")
    FEE_MULTIPLE = "fee_multiple", _("费用金额的倍数（如广告费用）")


MULTIPLE_BASES = (FineBasis.GAINS_MULTIPLE, FineBasis.VALUE_MULTIPLE, FineBasis.FEE_MULTIPLE)


def validate_penalty_kinds(value):
    allowed = set(PenaltyKind.values)
    if not isinstance(value, list) or not value:
        raise ValidationError(_("请至少选择一种处罚种类。"))
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValidationError(_("未知的处罚种类：%(kinds)s。") % {"kinds": "、".join(map(str, unknown))})


class DiscretionStandard(models.Model):
    """One row of a discretion standard (裁量基准): a violation in one circumstance and its allowed penalty."""

    power_item = models.ForeignKey(
        PowerItem, verbose_name=_("权责事项"), on_delete=models.CASCADE, related_name="discretion_standards"
    )
    violation = models.CharField(_("违法情形"), max_length=256)
    circumstance = models.CharField(_("情节"), max_length=16, choices=Circumstance.choices)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, validators=[validate_penalty_kinds])
    fine_basis = models.CharField(_("罚款计算方式"), max_length=16, choices=FineBasis.choices, default=FineBasis.NONE)
    fine_min = models.DecimalField(_("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_min = models.DecimalField(_("最低倍数"), max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField(_("最高倍数"), max_digits=6, decimal_places=2, null=True, blank=True)
    statutory_max = models.DecimalField(
        _("法定最高罚款（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("法律规定的罚款上限；按倍数计罚时也不得超过（如有）。"),
    )
    description = models.TextField(_("适用说明"), blank=True)

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["power_item__code", "violation", "id"]

    def __str__(self):
        return f"{self.violation}（{self.get_circumstance_display()}）"

    def clean(self):
        errors = {}
        fines = PenaltyKind.FINE in (self.penalty_kinds or [])
        if fines and self.fine_basis == FineBasis.NONE:
            errors["fine_basis"] = _("处罚种类含罚款时，请选择罚款计算方式。")
        if self.fine_basis == FineBasis.FIXED:
            if self.fine_min is None or self.fine_max is None:
                errors["fine_max"] = _("按固定金额罚款时，请填写罚款下限和上限。")
            elif self.fine_min > self.fine_max:
                errors["fine_max"] = _("罚款上限不能低于下限。")
            elif self.statutory_max is not None and self.fine_max > self.statutory_max:
                errors["fine_max"] = _("裁量基准的罚款上限不能超过法定最高罚款 %(max)s 元。") % {"max": self.statutory_max}
        if self.fine_basis in MULTIPLE_BASES:
            if self.multiple_min is None or self.multiple_max is None:
                errors["multiple_max"] = _("按倍数罚款时，请填写最低倍数和最高倍数。")
            elif self.multiple_min > self.multiple_max:
                errors["multiple_max"] = _("最高倍数不能低于最低倍数。")
        for field in ("fine_min", "fine_max", "multiple_min", "multiple_max", "statutory_max"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = _("金额和倍数不能为负数。")
        if errors:
            raise ValidationError(errors)

    def fine_range(self, base_amount=None):
        """The allowed fine as (minimum, maximum) in yuan, or None when this standard has no fine.

        For multiples, `base_amount` is the illegal gains, goods value or fee the multiple applies to.
        The statutory maximum caps the upper end in every mode.
        """
        if self.fine_basis == FineBasis.NONE:
            return None
        if self.fine_basis == FineBasis.FIXED:
            low, high = self.fine_min, self.fine_max
        else:
            if base_amount is None:
                raise ValueError("base_amount is required for a fine counted in multiples")
            base = Decimal(base_amount)
            low, high = base * self.multiple_min, base * self.multiple_max
        if self.statutory_max is not None:
            high = min(high, self.statutory_max)
            low = min(low, high)
        return (low.quantize(Decimal("0.01")), high.quantize(Decimal("0.01")))
