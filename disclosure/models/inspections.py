"""The random-inspection item list (随机抽查事项清单, "双随机、一公开").

Each item names what is inspected, by which agencies, of which subjects, how, and how often or
in what ratio; its legal basis is not copied: it is the article text of the inspection power
items (行政检查, lawenforce.PowerItem) it links, read live on the public page. Agencies maintain
their own items in the admin (scoped to their agency); the rules are in disclosure.inspections.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lawenforce.models import ActionCategory


class InspectionMethod(models.TextChoices):
    ON_SITE = "on_site", _("现场检查")
    DOCUMENT = "document", _("书面检查")
    ONLINE = "online", _("网络监测")
    SAMPLING = "sampling", _("抽样检验")
    THIRD_PARTY = "third_party", _("委托专业机构核查")


class RandomInspectionItemQuerySet(models.QuerySet):
    def public(self):
        return self.filter(active=True)


class RandomInspectionItem(models.Model):
    name = models.CharField(_("抽查事项"), max_length=200)
    power_items = models.ManyToManyField(
        "lawenforce.PowerItem",
        verbose_name=_("对应的行政检查事项"),
        related_name="random_inspection_items",
        limit_choices_to={"action_category": ActionCategory.INSPECTION},
        help_text=_("抽查依据取自这些权责事项的法律依据条文。"),
    )
    agencies = models.ManyToManyField(
        "lawenforce.Agency", verbose_name=_("检查实施主体"), related_name="random_inspection_items"
    )
    subjects = models.CharField(_("检查对象"), max_length=256)
    content = models.TextField(_("检查内容"), blank=True)
    method = models.CharField(_("检查方式"), max_length=16, choices=InspectionMethod.choices)
    ratio = models.DecimalField(
        _("抽查比例（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("每次抽取的检查对象占名录库的比例，0 至 100。"),
    )
    frequency = models.CharField(_("抽查频次"), max_length=64, help_text=_("例如：每年不少于一次"))
    active = models.BooleanField(_("公示中"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[power_items, agencies])
    objects = RandomInspectionItemQuerySet.as_manager()
    scope_agency_lookup = "agencies"

    class Meta:
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项清单")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name
