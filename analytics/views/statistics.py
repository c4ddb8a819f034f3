"""Annual enforcement statistics per agency, and reports of all nine indicators by period and level."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from analytics import statistics
from analytics.indicators import INDICATORS, PERCENT
from analytics.models import ScopeKind
from analytics.periods import Period
from analytics.scope import Scope
from analytics.tables import Column, Link, Table
from lawenforce.models import Agency

from .common import base_context, export, wants_xlsx


@login_required
def annual(request):
    context = base_context(request, "analytics:annual")
    scope, period = context["scope"], context["period"]
    year = Period(period.year)
    headers, rows = statistics.annual_statistics(scope.agencies().exclude(sector="justice"), year.year)
    columns = [Column("agency", _("执法主体")), Column("region", _("所属区划"))]
    columns += [Column(f"f{i}", header, numeric=True) for i, header in enumerate(headers)]
    table = Table(
        _("%(year)d年度行政执法统计") % {"year": year.year},
        columns,
        [
            {"agency": a.name, "region": a.region.name, **{f"f{i}": v for i, v in enumerate(figures)}}
            for a, figures in rows
        ],
        note=_("与行政执法信息公示平台年报同一来源。")
        if statistics.annual_figures
        else _("数据取自指标快照（年度）。"),
    )
    if wants_xlsx(request):
        return export([table], _("年度行政执法统计"), scope, year)
    context.update({"table": table, "year": year.year, "published_source": statistics.annual_figures is not None})
    return render(request, "analytics/annual.html", context)


@login_required
def report(request):
    context = base_context(request, "analytics:report")
    scope, period = context["scope"], context["period"]
    levels = [
        (value, label)
        for value, label in statistics.LEVELS
        if value == "agency" or (scope.is_region and int(value) >= scope.obj.level)
    ]
    level = request.GET.get("level") or (str(min(scope.obj.level + 1, 4)) if scope.is_region else "agency")
    if level not in {v for v, _l in levels}:
        level = "agency"
    units = statistics.report_units(scope, level)
    found = statistics.report_values(units, level, period)
    columns = [Column("unit", _("区划或执法主体"))]
    for ind in INDICATORS:
        columns.append(Column(ind.code, ind.name, numeric=True, percent=ind.unit == PERCENT))
    # Each figure opens its indicator page for that unit (definition, parts, records behind it).
    pages = {ind.code: reverse("analytics:indicator", args=[ind.code]) for ind in INDICATORS}
    rows = []
    for unit in units:
        row = {"unit": unit.name}
        key = Scope(ScopeKind.AGENCY if isinstance(unit, Agency) else ScopeKind.REGION, unit).key
        for ind in INDICATORS:
            value = found.get((unit.pk, ind.code))
            figure = value.value if value is not None else None
            url = f"{pages[ind.code]}?scope={key}&period={period}"
            row[ind.code] = Link(figure, url) if figure is not None else None
        rows.append(row)
    table = Table(_("%(period)s执法监督指标报表") % {"period": period.label}, columns, rows, id="report")
    if wants_xlsx(request):
        return export([table], _("执法监督指标报表"), scope, period)
    context.update({"table": table, "levels": levels, "level": level})
    return render(request, "analytics/report.html", context)
