"""Formatting of indicator values on the pages (the exports keep the raw numbers)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from analytics.indicators import COUNT, PERCENT
from analytics.tables import Link

register = template.Library()


@register.filter
def indicator_value(value, unit):
    """73.5% / 3.21 / 1,234; an em dash when there is nothing to show."""
    if value is None:
        return "—"
    if hasattr(value, "value"):
        value = value.value
        if value is None:
            return "—"
    value = Decimal(value)
    if unit == PERCENT:
        return f"{value * 100:.1f}%"
    if unit == COUNT:
        return f"{int(value):,}"
    return f"{value:.2f}"


@register.filter
def change(now, before):
    """The change from the previous period as text with a direction, or ""."""
    if now is None or before is None or now.value is None or before.value is None:
        return ""
    delta = Decimal(now.value) - Decimal(before.value)
    if delta == 0:
        return _("与上期持平")
    return ("▲ " if delta > 0 else "▼ ") + _("较上期")


@register.filter
def is_link(value):
    return isinstance(value, Link)


@register.filter
def cell_text(value, column):
    if value is None or value == "":
        return "—" if column.numeric else ""
    if column.percent:
        return f"{Decimal(value) * 100:.1f}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral() else f"{int(value):,}"
    if isinstance(value, int) and column.numeric:
        return f"{value:,}"
    return value
