"""Administrator-maintained calendar data: wins over the chinese-calendar package.

Each year the State Council publishes its holiday notice (国务院办公厅关于部分节假日安排的通知).
An administrator who enters a year the package does not know yet records the notice in
`CalendarYear` (which tells `lawenforce.calendar` that the year is fully known) and each
holiday and make-up working day (调休上班) in `CalendarDay`. A `CalendarDay` also corrects
a single day of a year the package knows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    notice = models.CharField(_("依据通知"), max_length=128, help_text=_("例如：国办发明电〔2025〕7号"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}（{self.notice}）"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=64, blank=True, help_text=_("例如：春节、国庆节调休"))

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
