"""Template filters of the document engine (loaded as builtins there, no {% load %} needed)."""

import datetime

from django import template

from .amounts import amount_in_capitals, amount_in_figures

register = template.Library()


def chinese_date(value):
    """2026-03-02 → 2026年3月2日 (the way the forms date things); blank for no date."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


register.filter("cn_date", chinese_date)
register.filter("yuan", lambda value: "" if value is None else amount_in_figures(value))
register.filter("capitals", lambda value: "" if value is None else amount_in_capitals(value))
