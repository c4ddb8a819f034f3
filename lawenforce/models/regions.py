"""Administrative regions (行政区划) per GB/T 2260, as a materialised-path tree.

Each region stores `path`, the codes of its ancestors and itself joined by "/", so
"this region and everything below it" is one prefix query on an indexed column
(`Region.objects.subtree(region)`). On PostgreSQL Django adds a varchar_pattern_ops
index for the column, which serves LIKE 'prefix%'.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("市级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡级")


# Province, city and county codes have 6 digits; townships have 9 (GB/T 2260 + GB/T 10114).
CODE_LENGTH = {RegionLevel.PROVINCE: 6, RegionLevel.CITY: 6, RegionLevel.COUNTY: 6, RegionLevel.TOWNSHIP: 9}


class RegionQuerySet(models.QuerySet):
    def subtree(self, region):
        """The region and every region below it, in one indexed query."""
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    code = models.CharField(
        _("区划代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^(\d{6}|\d{9})$", _("区划代码应为 6 位（县级及以上）或 9 位（乡级）数字。"))],
    )
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=80, db_index=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = pgettext_lazy("plural", "行政区划")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        new_path = self._compute_path()
        old_path = None
        if self.pk:
            old_path = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first()
        self.path = new_path
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                # A region moved (区划调整): rewrite the paths of everything below it.
                Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                )

    def _compute_path(self):
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}/"

    def clean(self):
        errors = {}
        if self.level and self.code and len(self.code) != CODE_LENGTH[self.level]:
            errors["code"] = _("%(level)s区划代码应为 %(n)d 位数字。") % {
                "level": RegionLevel(self.level).label,
                "n": CODE_LENGTH[self.level],
            }
        if self.level == RegionLevel.PROVINCE and self.parent_id:
            errors["parent"] = _("省级区划没有上级区划，请清空“上级区划”。")
        if self.level and self.level != RegionLevel.PROVINCE:
            if not self.parent_id:
                errors["parent"] = _("请选择上级区划：只有省级区划可以没有上级。")
            elif self.parent.level != self.level - 1:
                errors["parent"] = _("上级区划的层级不对：%(level)s的上级应为%(parent)s。") % {
                    "level": RegionLevel(self.level).label,
                    "parent": RegionLevel(self.level - 1).label,
                }
            elif self.pk and self.parent.path.startswith(self.path or "\0"):
                errors["parent"] = _("不能把区划挂到它自己的下级之下。")
        if errors:
            raise ValidationError(errors)

    def ancestors(self):
        codes = [c for c in self.path.split("/") if c][:-1]
        return Region.objects.filter(code__in=codes).order_by("level")

    @property
    def full_name(self):
        return "".join(r.name for r in self.ancestors()) + self.name
