"""Enforcement agencies (执法主体) and enforcement categories."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lawenforce.validators import validate_phone, validate_uscc


class EnforcementCategory(models.Model):
    """A field of enforcement (执法类别) that a certificate covers and a power item belongs to."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("执法类别")
        verbose_name_plural = _("执法类别")
        ordering = ["code"]

    def __str__(self):
        return self.name


class AgencyKind(models.TextChoices):
    STATUTORY = "statutory", _("行政机关")
    AUTHORISED = "authorised", _("法律法规授权组织")
    ENTRUSTED = "entrusted", _("受委托组织")


class Sector(models.TextChoices):
    MARKET = "market", _("市场监管")
    ECOLOGY = "ecology", _("生态环境")
    URBAN = "urban", _("城市管理")
    TRANSPORT = "transport", _("交通运输")
    JUSTICE = "justice", _("司法行政（执法监督）")
    OTHER = "other", _("其他")


class AgencyStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    SUSPENDED = "suspended", _("暂停执法")
    DISSOLVED = "dissolved", _("已撤销")


class AgencyQuerySet(models.QuerySet):
    def in_region(self, region):
        """Agencies whose region is `region` or any region below it (one join, indexed path)."""
        return self.filter(region__path__startswith=region.path)

    def active(self):
        return self.filter(status=AgencyStatus.ACTIVE)


class Agency(models.Model):
    name = models.CharField(_("名称"), max_length=128, unique=True)
    short_name = models.CharField(
        _("文号简称"), max_length=32, blank=True, help_text=_("用于案号和文号，例如“济任市监”。")
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    region = models.ForeignKey("lawenforce.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT)
    kind = models.CharField(_("主体类型"), max_length=16, choices=AgencyKind.choices, default=AgencyKind.STATUTORY)
    sector = models.CharField(_("领域"), max_length=16, choices=Sector.choices)
    entrusting_agency = models.ForeignKey(
        "self",
        verbose_name=_("委托机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_agencies",
        help_text=_("仅受委托组织填写：以委托机关名义实施执法（《行政处罚法》第二十条）。"),
    )
    legal_review_unit = models.CharField(_("法制审核机构"), max_length=128, blank=True)
    duties = models.TextField(_("主要职责"), blank=True)
    address = models.CharField(_("地址"), max_length=256, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=32, blank=True, validators=[validate_phone])
    status = models.CharField(_("状态"), max_length=16, choices=AgencyStatus.choices, default=AgencyStatus.ACTIVE)

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    # Data scope: an agency is its own scope anchor (see lawenforce.access).
    scope_agency_lookup = ""

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = pgettext_lazy("plural", "执法主体")
        ordering = ["region__path", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        # 《行政处罚法》第二十条: an entrusted organisation acts in the name of the agency that entrusts it,
        # which must itself be a lawful enforcement agency.
        if self.kind == AgencyKind.ENTRUSTED:
            if not self.entrusting_agency_id:
                raise ValidationError(
                    {"entrusting_agency": _("受委托组织必须填写委托机关（《行政处罚法》第二十条）。")}
                )
            if self.entrusting_agency_id == self.pk:
                raise ValidationError({"entrusting_agency": _("委托机关不能是本组织自己。")})
            if self.entrusting_agency.kind == AgencyKind.ENTRUSTED:
                raise ValidationError(
                    {"entrusting_agency": _("受委托组织不得再委托（《行政处罚法》第二十条）：请选择行政机关或授权组织。")}
                )
        elif self.entrusting_agency_id:
            raise ValidationError({"entrusting_agency": _("只有受委托组织才有委托机关，请清空此项或把主体类型改为受委托组织。")})

    @property
    def is_supervisory(self):
        return self.sector == Sector.JUSTICE
