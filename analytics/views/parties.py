"""Repeat offenders and problem enterprises (多次违法当事人与问题企业), and violation hot spots."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from analytics import drilldown, parties, queries
from analytics import scope as scopes
from analytics.indicators import VIOLATION_KINDS
from analytics.models import RepeatParty
from analytics.tables import Column, Link, Table
from cases.models import Case, Party, PartyKind
from lawenforce.access import restrict

from .common import base_context, export, wants_xlsx


def _years(request, period):
    return list(range(period.year - 2, period.year + 1)) if request.GET.get("years") == "3" else [period.year]


@login_required
def party_list(request):
    context = base_context(request, "analytics:parties")
    scope, period = context["scope"], context["period"]
    kind = request.GET.get("kind", "")
    kind = kind if kind in ("person", "organisation") else ""
    try:
        minimum = max(2, min(50, int(request.GET.get("min", "2"))))
    except ValueError:
        minimum = 2
    years = _years(request, period)
    found = parties.repeat_parties(scope, years, kind, minimum)
    kinds = dict(PartyKind.choices)
    rows = [
        {
            "name": Link(
                r["name"],
                reverse("analytics:party", args=[r["row"]])
                + f"?scope={scope.key}&period={period}&years={request.GET.get('years', '')}",
            ),
            "kind": kinds.get(r["party_kind"], r["party_kind"]),
            "identifier": parties.shown_identifier(r["identifier"], r["is_person"]),
            "decisions": r["decisions"],
            "penalties": r["penalties"],
            "fines": r["fines"],
            "agencies": r["agencies"],
            "last": r["last"],
            "flag": _("问题企业") if not r["is_person"] and parties.is_problem(r) else "",
        }
        for r in found
    ]
    table = Table(
        _("多次违法当事人"),
        [
            Column("name", _("当事人")),
            Column("kind", _("当事人类型")),
            Column("identifier", _("统一社会信用代码或身份证号码")),
            Column("decisions", _("认定违法次数"), numeric=True),
            Column("penalties", _("处罚次数"), numeric=True),
            Column("fines", _("罚款金额（元）"), numeric=True),
            Column("agencies", _("涉及执法主体数"), numeric=True),
            Column("last", _("最近决定日期")),
            Column("flag", _("标记")),
        ],
        rows,
        note=_("问题企业：期间内认定违法 %(n)d 次及以上，或罚款合计 %(fines)s 元及以上的企业。身份证号码已脱敏。")
        % {"n": parties.PROBLEM_DECISIONS, "fines": f"{parties.PROBLEM_FINES:,}"},
    )
    if wants_xlsx(request):
        return export([table], _("多次违法当事人"), scope, period)
    context.update({"table": table, "kind": kind, "minimum": minimum, "years_choice": request.GET.get("years", "")})
    return render(request, "analytics/parties.html", context)


@login_required
def party_cases(request, pk):
    """The decisions against one repeat party that the user may see."""
    context = base_context(request, "analytics:party", pk=pk)
    scope, period = context["scope"], context["period"]
    party_row = get_object_or_404(RepeatParty.objects.filter(**scope.case_filter()), pk=pk)
    years = _years(request, period)
    match = (
        Q(parties__uscc=party_row.identifier) if not party_row.is_person else Q(parties__id_number=party_row.identifier)
    )
    cases = (
        restrict(Case.objects.all(), request.user)
        .filter(match, **scope.case_filter(), decision_kind__in=VIOLATION_KINDS, decided_on__year__in=years)
        .distinct()
        .select_related("agency", "power_item")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.order_by("pk")))
        .order_by("-decided_on", "-pk")
    )
    title = _("%(name)s 的违法决定") % {"name": party_row.name}
    if wants_xlsx(request):
        return export([drilldown.table(drilldown.CASES, cases, title)], title, scope, period)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    context.update(
        {
            "party": party_row,
            "identifier": parties.shown_identifier(party_row.identifier, party_row.is_person),
            "table": drilldown.table(drilldown.CASES, page.object_list, title),
            "page": page,
            "title": title,
        }
    )
    return render(request, "analytics/party.html", context)


def _violations_link(count, scope, period, item=None):
    """A hot-spot count as a link to the violation decisions behind it (all types, or one)."""
    if not count:
        return count
    if item is None:
        url = reverse("analytics:drilldown", kwargs={"code": "violation_count", "part": "numerator"})
        return Link(count, f"{url}?scope={scope.key}&period={period}")
    url = reverse("analytics:drilldown", kwargs={"code": "violation_type_rate", "part": "numerator"})
    return Link(count, f"{url}?scope={scope.key}&period={period}&item={item.pk}")


@login_required
def hotspots(request):
    context = base_context(request, "analytics:hotspots")
    scope, period = context["scope"], context["period"]
    children = scopes.children(scope) if scope.is_region else [scope]
    items, rows = queries.hotspots(scope, period, children)
    columns = [Column("name", _("区划或执法主体")), Column("total", _("违法问题发生量"), numeric=True)]
    columns += [Column(f"i{i}", item.name, numeric=True) for i, item in enumerate(items)]
    table_rows = []
    for r in rows:
        child = r["scope"]
        row = {
            "name": Link(child.name, f"{reverse('analytics:hotspots')}?scope={child.key}&period={period}")
            if child.is_region
            else child.name,
            "total": _violations_link(r["total"], child, period),
        }
        row.update(
            {
                f"i{i}": _violations_link(n, child, period, item)
                for i, (item, n) in enumerate(zip(items, r["counts"], strict=True))
            }
        )
        table_rows.append(row)
    table = Table(_("违法问题热点（按区划和权责事项）"), columns, table_rows, id="hotspots")
    types = [
        {
            "item": item.name if item else _("（未关联权责事项）"),
            "count": _violations_link(n, scope, period, item) if item else n,
        }
        for item, n in queries.violation_types(scope, period)
    ]
    type_table = Table(
        _("违法类型排行"),
        [Column("item", _("违法类型（权责事项）")), Column("count", _("发生量"), numeric=True)],
        types,
        id="types",
    )
    if wants_xlsx(request):
        return export([table, type_table], _("违法问题热点"), scope, period)
    chart = {
        "kind": "heatmap",
        "x": [item.name for item in items],
        "y": [r["scope"].name for r in rows],
        "data": [[x, y, n] for y, r in enumerate(rows) for x, n in enumerate(r["counts"])],
    }
    context.update({"table": table, "type_table": type_table, "chart": chart})
    return render(request, "analytics/hotspots.html", context)
