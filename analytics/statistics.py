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


# Chinese headers for the figures of annual_figures (disclosure's annual report, CONTRACTS.md).
# A figure without a header here is still shown, under its dotted key.
HEADERS = {
    "cases.leads_registered": _("登记线索数"),
    "cases.filed": _("立案数"),
    "cases.decided": _("作出决定数"),
    "cases.decisions_by_kind": _("决定"),
    "cases.summary_procedure": _("简易程序决定数"),
    "cases.closed": _("结案数"),
    "penalties.decisions": _("处罚决定数"),
    "penalties.by_kind": _("处罚种类"),
    "penalties.fines_total": _("罚款金额（元）"),
    "penalties.confiscated_total": _("没收违法所得（元）"),
    "procedure.hearings_held": _("举行听证数"),
    "procedure.legal_reviews": _("法制审核数"),
    "procedure.legal_reviews_not_approved": _("法制审核未通过数"),
    "procedure.deliberations": _("集体讨论数"),
    "procedure.coercive_measures": _("行政强制措施数"),
    "procedure.coercive_measures_by_kind": _("行政强制措施"),
    "execution.collected_total": _("收缴罚没款（元）"),
    "execution.court_applications": _("申请人民法院强制执行数"),
    "complaints.total": _("收到投诉举报数"),
    "complaints.complaints": _("投诉数"),
    "complaints.reports": _("举报数"),
    "complaints.rejected": _("不予受理数"),
    "complaints.accepted": _("受理数"),
    "complaints.to_cases": _("转为案件数"),
    "complaints.reports_to_cases": _("举报转为案件数"),
    "disclosure.published": _("公示处罚信息数"),
    "disclosure.published_late": _("逾期公示数"),
    "disclosure.withdrawn": _("撤下数"),
    "remedies.filed": _("新收复议诉讼数"),
    "remedies.outcomes": _("复议诉讼审结数"),
    "remedies.by_kind": _("审结"),
    "remedies.overturned": _("被纠错数"),
    "officers.certified": _("持证执法人员数"),
    "officers.legal_reviewers": _("法制审核人员数"),
}
SKIPPED = {"agency", "year"}  # the row already says which agency and year


def _choice_labels():
    from cases.models import CoerciveMeasure, DecisionKind, RemedyKind
    from lawenforce.models import PenaltyKind

    labels = {**dict(DecisionKind.choices), **dict(PenaltyKind.choices), **dict(RemedyKind.choices)}
    labels.update(dict(CoerciveMeasure._meta.get_field("kind").choices or []))
    return labels


def flatten(figures, labels=None, prefix=""):
    """[(header, value)] of a nested annual_figures dict, in its order: 决定：给予行政处罚 …"""
    labels = labels if labels is not None else _choice_labels()
    out = []
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if not prefix and key in SKIPPED:
            continue
        if isinstance(value, dict):
            if path in HEADERS:  # a breakdown by kind: one column per kind
                for kind, n in value.items():
                    out.append((f"{HEADERS[path]}：{labels.get(kind, kind)}", n))
            else:
                out += flatten(value, labels, f"{path}.")
        else:
            out.append((str(HEADERS.get(path, path)), value))
    return out


def annual_statistics(agencies, year):
    """(headers, rows): one row per agency, [agency, figures…]."""
    agencies = list(agencies.select_related("region").order_by("region__path", "name"))
    if annual_figures is not None:
        labels = _choice_labels()
        figures = [(agency, dict(flatten(annual_figures(agency, year), labels))) for agency in agencies]
        headers = []
        for _agency, data in figures:
            headers += [h for h in data if h not in headers]
        return headers, [(agency, [data.get(h) for h in headers]) for agency, data in figures]
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



