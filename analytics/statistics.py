"""Annual enforcement statistics per agency and reports by period and level, from the snapshots.

The annual statistics are the figures the disclosure platform publishes in the annual report
(年报): when `analytics.annual.annual_figures(agency, year)` exists (written by the disclosure
developer, CONTRACTS.md) every figure comes from it, so the report and these statistics cannot
disagree. Without it, the figures are read from the indicator snapshots of the year.
"""

from django.utils.translation import gettext_lazy as _

from analytics.models import IndicatorValue, ScopeKind
from lawenforce.models import Region, RegionLevel

try:  # pragma: no cover - depends on the disclosure app's module being present
    from analytics.annual import annual_figures
except ImportError:  # until the disclosure platform's annual report lands
    annual_figures = None

# Snapshot figures of a year per agency: (indicator, numerator or denominator, header).
SNAPSHOT_FIGURES = [
    ("cases_per_officer", "numerator", _("办理案件数")),
    ("violation_count", "numerator", _("认定违法决定数")),
    ("cases_per_officer", "denominator", _("持证执法人员数")),
    ("officer_engagement", "numerator", _("参与办案的持证人员数")),
    ("complaint_case_rate", "denominator", _("受理投诉举报数")),
    ("complaint_case_rate", "numerator", _("投诉举报已查处数")),
    ("remedy_loss_rate", "denominator", _("复议诉讼审结数")),
    ("remedy_loss_rate", "numerator", _("复议诉讼败诉数")),
    ("evaluation_pass_rate", "denominator", _("案卷评查数")),
    ("evaluation_pass_rate", "numerator", _("评查合格数")),
]


def annual_statistics(agencies, year):
    """(headers, rows): one row per agency, [agency, figures…]."""
    agencies = list(agencies.select_related("region").order_by("region__path", "name"))
    if annual_figures is not None:
        figures = [(agency, annual_figures(agency, year)) for agency in agencies]
        keys = []
        for _agency, data in figures:
            keys += [k for k in data if k not in keys]
        return keys, [(agency, [data.get(k) for k in keys]) for agency, data in figures]
    stored = IndicatorValue.objects.filter(
        scope_kind=ScopeKind.AGENCY,
        agency__in=[a.pk for a in agencies],
        period_kind="year",
        year=year,
        indicator__in={code for code, _part, _h in SNAPSHOT_FIGURES},
    ).values_list("agency_id", "indicator", "numerator", "denominator")
    by_key = {(a, code): (num, den) for a, code, num, den in stored}
    rows = []
    for agency in agencies:
        figures = []
        for code, part, _header in SNAPSHOT_FIGURES:
            num, den = by_key.get((agency.pk, code), (None, None))
            figures.append(num if part == "numerator" else den)
        rows.append((agency, figures))
    return [header for _c, _p, header in SNAPSHOT_FIGURES], rows


LEVELS = [
    ("1", RegionLevel.PROVINCE.label),
    ("2", RegionLevel.CITY.label),
    ("3", RegionLevel.COUNTY.label),
    ("4", RegionLevel.TOWNSHIP.label),
    ("agency", _("执法主体")),
]


def report_units(scope, level):
    """The units of `level` within `scope`: regions of that level, or agencies."""
    if level == "agency":
        return list(scope.agencies().exclude(sector="justice").select_related("region").order_by("region__path", "name"))
    if not scope.is_region:
        return []
    return list(Region.objects.subtree(scope.obj).filter(level=int(level)).order_by("path"))


def report_values(units, level, period):
    """{(unit pk, indicator): IndicatorValue} for the units (one query)."""
    kind = ScopeKind.AGENCY if level == "agency" else ScopeKind.REGION
    key = "agency_id__in" if level == "agency" else "region_id__in"
    found = IndicatorValue.objects.filter(
        scope_kind=kind, period_kind=period.kind, year=period.year, number=period.number, **{key: [u.pk for u in units]}
    )
    return {(v.agency_id or v.region_id, v.indicator): v for v in found}



