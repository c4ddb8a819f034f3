"""What the pages read: stored indicator values and cells (snapshots), never the case rows
(except the drill-down lists in analytics/drilldown.py, which show the cases behind a number)."""

from django.db.models import Q, Sum

from analytics.indicators import INDICATORS
from analytics.models import Cell, IndicatorValue, RefreshRun, ScopeKind
from analytics.periods import MONTH
from lawenforce.models import Agency, LegalProvision, PowerItem, Region


def values(scope, period, codes=None):
    """{indicator code: IndicatorValue} of one scope and period."""
    rows = IndicatorValue.objects.filter(
        **scope.value_filter(), period_kind=period.kind, year=period.year, number=period.number
    )
    if codes:
        rows = rows.filter(indicator__in=codes)
    return {v.indicator: v for v in rows.select_related("key_item")}


def trend(scope, code, year):
    """Month values of `year` and the year before: {year: [value or None] * 12}."""
    rows = IndicatorValue.objects.filter(
        **scope.value_filter(), indicator=code, period_kind=MONTH, year__in=[year - 1, year]
    ).values_list("year", "number", "value", "numerator", "denominator")
    series = {year - 1: [None] * 12, year: [None] * 12}
    for y, month, value, num, den in rows:
        series[y][month - 1] = {"value": value, "numerator": num, "denominator": den}
    return series


def comparison(scopes, code, period):
    """[(scope, IndicatorValue or None)] for the scopes compared on a page (two queries)."""
    region_ids = [s.obj.pk for s in scopes if s.is_region]
    agency_ids = [s.obj.pk for s in scopes if not s.is_region]
    found = IndicatorValue.objects.filter(
        Q(scope_kind=ScopeKind.REGION, region_id__in=region_ids) | Q(scope_kind=ScopeKind.AGENCY, agency_id__in=agency_ids),
        indicator=code,
        period_kind=period.kind,
        year=period.year,
        number=period.number,
    )
    by_key = {(v.scope_kind, v.region_id or v.agency_id): v for v in found}
    return [(s, by_key.get((s.kind, s.obj.pk))) for s in scopes]


def cells(scope, period):
    """The cells of the agencies in `scope` for `period`."""
    return Cell.objects.filter(**scope.case_filter(), year=period.year, month__in=period.months)


def violation_types(scope, period):
    """[(PowerItem or None, violations)] most frequent first, summed from the cells."""
    rows = (
        cells(scope, period)
        .values("power_item_id")
        .annotate(n=Sum("violations"))
        .filter(n__gt=0)
        .order_by("-n", "power_item_id")
    )
    items = PowerItem.objects.in_bulk([r["power_item_id"] for r in rows if r["power_item_id"]])
    return [(items.get(r["power_item_id"]), r["n"]) for r in rows]


def provisions_by_law(scope, period):
    """Per law: the scope's penalty provisions and how many were used in the period."""
    held = PowerItem.objects.filter(action_category="penalty", agencies__in=scope.agencies()).distinct()
    available = LegalProvision.objects.filter(power_items__in=held).distinct().select_related("law")
    used_items = cells(scope, period).filter(penalties__gt=0).values("power_item_id")
    used = set(LegalProvision.objects.filter(power_items__in=used_items).values_list("pk", flat=True))
    laws = {}
    for provision in available:
        row = laws.setdefault(provision.law, {"law": provision.law, "available": 0, "used": 0, "unused": []})
        row["available"] += 1
        if provision.pk in used:
            row["used"] += 1
        else:
            row["unused"].append(provision)
    return sorted(laws.values(), key=lambda r: (-r["available"], r["law"].name))


def hotspots(scope, period, regions, limit_items=12):
    """Violations per lower region (or agency) × power item from the cells: (items, rows)."""
    base = cells(scope, period).filter(violations__gt=0)
    totals = base.values("power_item_id").annotate(n=Sum("violations")).order_by("-n", "power_item_id")
    top = [t["power_item_id"] for t in totals[:limit_items] if t["power_item_id"]]
    items = PowerItem.objects.in_bulk(top)
    rows = []
    for child in regions:
        sub = base.filter(**child.case_filter())
        counts = dict(sub.filter(power_item_id__in=top).values_list("power_item_id").annotate(n=Sum("violations")))
        total = sub.aggregate(n=Sum("violations"))["n"] or 0
        rows.append({"scope": child, "counts": [counts.get(i, 0) for i in top], "total": total})
    return [items[i] for i in top], rows


def last_run():
    return RefreshRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def overview(scope, period):
    """For each indicator: (definition, value, previous period's value)."""
    now = values(scope, period)
    before = values(scope, period.previous())
    return [(ind, now.get(ind.code), before.get(ind.code)) for ind in INDICATORS]


def scope_names(values_list):
    agencies = Agency.objects.in_bulk([v.agency_id for v in values_list if v.agency_id])
    regions = Region.objects.in_bulk([v.region_id for v in values_list if v.region_id])
    return agencies, regions



