"""The indicator pages: the nine figures at a glance, one indicator in depth (trend, comparison,
breakdown, definition), and the records behind each number."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from analytics import drilldown, queries
from analytics import scope as scopes
from analytics.indicators import BY_CODE, GROUPS, PERCENT
from analytics.periods import MONTH, Period
from analytics.tables import Column, Link, Table

from .common import base_context, export, wants_xlsx

DRILLDOWN_PAGE = 50
EXPORT_LIMIT = 100_000


def _scope_url(name, scope, period, **kwargs):
    from django.urls import reverse

    return f"{reverse(name, kwargs=kwargs)}?scope={scope.key}&period={period}"


@login_required
def overview(request):
    context = base_context(request, "analytics:overview")
    scope, period = context["scope"], context["period"]
    rows = queries.overview(scope, period)
    groups = []
    for code, label in GROUPS.items():
        groups.append((label, [r for r in rows if r[0].group == code]))
    table = Table(
        _("执法监督指标"),
        [
            Column("name", _("指标")),
            Column("value", _("指标值"), numeric=True),
            Column("numerator", _("分子"), numeric=True),
            Column("denominator", _("分母"), numeric=True),
            Column("definition", _("计算口径")),
        ],
        [
            {
                "name": ind.name,
                "value": _export_value(ind, value),
                "numerator": value.numerator if value else None,
                "denominator": value.denominator if value else None,
                "definition": f"{ind.numerator} ÷ {ind.denominator}",
            }
            for ind, value, _before in rows
        ],
    )
    if wants_xlsx(request):
        return export([table], _("执法监督指标"), scope, period)
    context.update({"groups": groups})
    return render(request, "analytics/overview.html", context)


def _part_link(indicator, part, scope, period, value):
    """A stored numerator or denominator as a link to the records behind it (drill-down)."""
    if not value:
        return None
    number = value[part] if isinstance(value, dict) else getattr(value, part)
    if number is None or part not in indicator.parts:
        return number
    return Link(number, _scope_url("analytics:drilldown", scope, period, code=indicator.code, part=part))


def _export_value(indicator, value):
    if value is None or value.value is None:
        return None
    return float(value.value)


def trend_table(indicator, scope, year):
    series = queries.trend(scope, indicator.code, year)
    rows = []
    for month in range(1, 13):
        this, last = series[year][month - 1], series[year - 1][month - 1]
        month_period = Period(year, MONTH, month)
        rows.append(
            {
                "month": month_period.label,
                "value": this["value"] if this else None,
                "numerator": _part_link(indicator, "numerator", scope, month_period, this),
                "denominator": _part_link(indicator, "denominator", scope, month_period, this),
                "last": last["value"] if last else None,
            }
        )
    percent = indicator.unit == PERCENT
    columns = [
        Column("month", _("月份")),
        Column("value", _("指标值"), numeric=True, percent=percent),
        Column("numerator", _("分子"), numeric=True),
        Column("denominator", _("分母"), numeric=True),
        Column("last", _("上年同月"), numeric=True, percent=percent),
    ]
    chart = {
        "kind": "line",
        "unit": indicator.unit,
        "labels": [f"{m}月" for m in range(1, 13)],
        "series": [
            {"name": f"{year - 1}", "data": [_num(p) for p in series[year - 1]]},
            {"name": f"{year}", "data": [_num(p) for p in series[year]]},
        ],
    }
    return Table(_("月度趋势"), columns, rows, id="trend"), chart


def _num(point):
    return float(point["value"]) if point and point["value"] is not None else None


def comparison_table(indicator, scope, period):
    compared = queries.comparison(scopes.children(scope), indicator.code, period)
    percent = indicator.unit == PERCENT
    rows = [
        {
            "name": Link(child.name, _scope_url("analytics:indicator", child, period, code=indicator.code)),
            "level": child.level_label,
            "value": value.value if value else None,
            "numerator": _part_link(indicator, "numerator", child, period, value),
            "denominator": _part_link(indicator, "denominator", child, period, value),
        }
        for child, value in compared
    ]
    columns = [
        Column("name", _("区划或执法主体")),
        Column("level", _("层级")),
        Column("value", _("指标值"), numeric=True, percent=percent),
        Column("numerator", _("分子"), numeric=True),
        Column("denominator", _("分母"), numeric=True),
    ]
    shown = [(child, value) for child, value in compared if value is not None and value.value is not None]
    chart = {
        "kind": "bar",
        "unit": indicator.unit,
        "labels": [child.name for child, _v in shown],
        "series": [{"name": str(indicator.name), "data": [float(v.value) for _c, v in shown]}],
    }
    return Table(_("下级区划与执法主体比较"), columns, rows, id="comparison"), chart


def breakdown_tables(indicator, scope, period):
    if indicator.code in ("violation_type_rate", "violation_count"):
        types = queries.violation_types(scope, period)
        total = sum(n for _item, n in types) or 0
        rows = [
            {
                "item": Link(
                    item.name,
                    _scope_url("analytics:drilldown", scope, period, code="violation_type_rate", part="numerator")
                    + f"&item={item.pk}",
                )
                if item
                else _("（未关联权责事项）"),
                "code": item.code if item else "",
                "count": n,
                "share": n / total if total else None,
            }
            for item, n in types
        ]
        columns = [
            Column("item", _("违法类型（权责事项）")),
            Column("code", _("事项编码")),
            Column("count", _("发生量"), numeric=True),
            Column("share", _("发生率"), numeric=True, percent=True),
        ]
        return [Table(_("按违法类型"), columns, rows, id="types")]
    if indicator.code == "provision_usage":
        rows = [
            {
                "law": str(r["law"]),
                "available": r["available"],
                "used": r["used"],
                "share": r["used"] / r["available"] if r["available"] else None,
                "unused": "；".join(p.citation for p in r["unused"][:12]) + ("……" if len(r["unused"]) > 12 else ""),
            }
            for r in queries.provisions_by_law(scope, period)
        ]
        columns = [
            Column("law", _("法律法规")),
            Column("available", _("处罚条款数"), numeric=True),
            Column("used", _("当期使用条款数"), numeric=True),
            Column("share", _("使用率"), numeric=True, percent=True),
            Column("unused", _("未使用的条款")),
        ]
        return [Table(_("按法律法规"), columns, rows, id="laws")]
    return []


@login_required
def indicator_detail(request, code):
    indicator = BY_CODE.get(code)
    if indicator is None:
        raise Http404
    context = base_context(request, "analytics:indicator", code=code)
    scope, period = context["scope"], context["period"]
    value = queries.values(scope, period, [code]).get(code)
    trend, trend_chart = trend_table(indicator, scope, period.year)
    tables = [trend]
    comparison_chart = None
    if scope.is_region:
        comparison, comparison_chart = comparison_table(indicator, scope, period)
        tables.append(comparison)
    tables += breakdown_tables(indicator, scope, period)
    if wants_xlsx(request):
        return export(tables, str(indicator.name), scope, period)
    context.update(
        {
            "indicator": indicator,
            "value": value,
            "tables": tables,
            "charts": {"trend": trend_chart, "comparison": comparison_chart},
            "parts": [
                (part, label, _scope_url("analytics:drilldown", scope, period, code=code, part=part))
                for part, label in indicator.parts.items()
            ],
        }
    )
    return render(request, "analytics/indicator.html", context)


@login_required
def drilldown_view(request, code, part):
    indicator = BY_CODE.get(code)
    if indicator is None:
        raise Http404
    context = base_context(request, "analytics:drilldown", code=code, part=part)
    scope, period = context["scope"], context["period"]
    item = request.GET.get("item")
    item = int(item) if item and item.isdigit() else None
    stored = queries.values(scope, period, [code]).get(code)
    if code == "violation_type_rate" and part == "numerator" and item is None:
        # The headline numerator counts the most frequent type: its cases are the ones behind it.
        item = stored.key_item_id if stored and stored.key_item_id else None
    kind, rows = drilldown.rows_for(request.user, scope, period, code, part, item=item)
    title = f"{indicator.name} · {indicator.parts[part]}"
    if wants_xlsx(request):
        return export([drilldown.table(kind, rows[:EXPORT_LIMIT], title)], title, scope, period)
    page = Paginator(rows, DRILLDOWN_PAGE).get_page(request.GET.get("page"))
    context.update(
        {
            "indicator": indicator,
            "part": part,
            "part_label": indicator.parts[part],
            "table": drilldown.table(kind, page.object_list, title),
            "page": page,
            "stored": stored,
            "query": _query_without_page(request),
        }
    )
    return render(request, "analytics/drilldown.html", context)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
