"""Layer 3: indicator values per scope and period, from the cells (pandas on small frames).

Agency scopes are computed from the agency's cells and officer months. Region scopes are
computed per region level with one GROUP BY over the cells of the agencies below each region
(SQL), then the same arithmetic; the two officer indicators, whose counts are people, are the
sums of the agencies' stored numerators and denominators (an officer belongs to one agency).
One function per indicator below; the definitions are in analytics/indicators.py.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.db.models import Q
from django.utils import timezone

from analytics.indicators import BY_CODE
from analytics.models import Cell, IndicatorValue, OfficerMonth, ScopeKind
from lawenforce.models import ActionCategory, Agency, Certificate, CertificateStatus, PowerItem, Region

from .cells import MEASURES
from .sql import bulk_write, execute, frame, placeholders, table

VALUE_COLUMNS = [
    "indicator",
    "scope_kind",
    "agency",
    "region",
    "period_kind",
    "year",
    "number",
    "numerator",
    "denominator",
    "value",
    "key_item",
    "computed_at",
]
OFFICER_INDICATORS = ("cases_per_officer", "officer_engagement")
SIX_PLACES = Decimal("0.000001")
# Certificates that were valid until they ran out: the nightly task marks them expired after the
# end date. Suspended and revoked ones count as not valid (the platform keeps no date for that).
USABLE_CERTIFICATE_STATES = (CertificateStatus.VALID, CertificateStatus.EXPIRED)


@dataclass
class Result:
    """One computed value before it is written: `scope` is an agency or region id."""

    indicator: str
    scope: int
    period: object
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    key_item: int | None = None


def decimal(x):
    if x is None or pd.isna(x):
        return None
    return Decimal(repr(float(x))).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def ratio(num, den):
    return decimal(num / den) if den else None


def enabled(code):
    return BY_CODE[code].available


# --- the arithmetic, on a frame of one period's cells: columns scope, item, MEASURES ---------


def per_scope(cells):
    return cells.groupby("scope")[MEASURES].sum()


def complaint_case_rate(period, cells, **_):
    for scope, row in per_scope(cells).iterrows():
        num, den = int(row.complaints_dealt), int(row.complaints_accepted)
        if num or den:
            yield Result("complaint_case_rate", scope, period, num, den, ratio(num, den))


def focus_match(period, cells, **_):
    """Σ_k min(share of cases under item k, share of complaints about item k)."""
    known = cells[cells["item"].notna()]
    by_item = known.groupby(["scope", "item"])[["handled", "complaints_received"]].sum()
    for scope, items in by_item.groupby(level="scope"):
        cases, complaints = int(items.handled.sum()), int(items.complaints_received.sum())
        if not (cases or complaints):
            continue
        value = None
        if cases and complaints:
            overlap = (items.handled / cases).combine(items.complaints_received / complaints, min)
            value = decimal(overlap.sum())
        yield Result("focus_match", scope, period, cases, complaints, value)


def provision_usage(period, cells, held, provisions, **_):
    """Provisions of the penalty items used in the period / of the penalty items the scope holds."""
    used_items = cells[(cells["penalties"] > 0) & cells["item"].notna()][["scope", "item"]].drop_duplicates()
    available = held.merge(provisions, on="item")[["scope", "provision"]].drop_duplicates()
    used = used_items.merge(provisions, on="item")[["scope", "provision"]].drop_duplicates()
    used = used.merge(available, on=["scope", "provision"])  # only the scope's own provisions
    dens = available.groupby("scope").size()
    nums = used.groupby("scope").size()
    for scope, den in dens.items():
        num = int(nums.get(scope, 0))
        yield Result("provision_usage", scope, period, num, int(den), ratio(num, den))


def violation_count(period, cells, scopes, **_):
    sums = per_scope(cells).violations
    for scope in scopes:
        num = int(sums.get(scope, 0))
        yield Result("violation_count", scope, period, num, None, Decimal(num))


def violation_type_rate(period, cells, **_):
    """The most frequent violation type (power item) and its share of all violations."""
    with_violations = cells[cells["violations"] > 0]
    totals = with_violations.groupby("scope")["violations"].sum()
    typed = with_violations[with_violations["item"].notna()].groupby(["scope", "item"])["violations"].sum()
    for scope, total in totals.items():
        top_item, top = None, 0
        if scope in typed.index.get_level_values("scope"):
            ranked = typed.loc[scope].reset_index().sort_values(["violations", "item"], ascending=[False, True])
            top_item, top = int(ranked.iloc[0]["item"]), int(ranked.iloc[0]["violations"])
        value = ratio(top, total) if top_item is not None else None
        yield Result("violation_type_rate", scope, period, top, int(total), value, top_item)


def evaluation_pass_rate(period, cells, **_):
    for scope, row in per_scope(cells).iterrows():
        num, den = int(row.evaluations_passed), int(row.evaluations_finalized)
        if den:
            yield Result("evaluation_pass_rate", scope, period, num, den, ratio(num, den))


def remedy_loss_rate(period, cells, **_):
    for scope, row in per_scope(cells).iterrows():
        num, den = int(row.remedies_overturned), int(row.remedies_concluded)
        if den:
            yield Result("remedy_loss_rate", scope, period, num, den, ratio(num, den))


CELL_INDICATORS = {
    "complaint_case_rate": complaint_case_rate,
    "focus_match": focus_match,
    "provision_usage": provision_usage,
    "violation_count": violation_count,
    "violation_type_rate": violation_type_rate,
    "evaluation_pass_rate": evaluation_pass_rate,
    "remedy_loss_rate": remedy_loss_rate,
}


def from_cells(cells, held, provisions, periods, scopes):
    """Every cell-based indicator for every period; `cells` has a `month` column."""
    for period in periods:
        sub = cells[cells["month"].isin(period.months)]
        for code, compute in CELL_INDICATORS.items():
            if enabled(code):
                yield from compute(period, sub, held=held, provisions=provisions, scopes=scopes)


def officer_values(period, officers, certificates, handled, scopes, today=None):
    """人均执法量 and 执法岗位关联率 per agency. `officers`: agency officer cases per month;
    `certificates`: officer, scope, valid_from, valid_to; `handled`: cases per scope and month."""
    day = period.stock_day(today)
    valid = certificates[(certificates.valid_from <= day) & (certificates.valid_to >= day)]
    certified = valid[["scope", "officer"]].drop_duplicates()
    busy = officers[officers["month"].isin(period.months) & (officers["cases"] > 0)][["scope", "officer"]].drop_duplicates()
    active = certified.merge(busy, on=["scope", "officer"])
    n_certified = certified.groupby("scope").size()
    n_active = active.groupby("scope").size()
    cases = handled[handled["month"].isin(period.months)].groupby("scope")["handled"].sum()
    for scope in scopes:
        den = int(n_certified.get(scope, 0))
        num_cases = int(cases.get(scope, 0))
        if num_cases or den:
            yield Result("cases_per_officer", scope, period, num_cases, den, ratio(num_cases, den))
        if den:
            num = int(n_active.get(scope, 0))
            yield Result("officer_engagement", scope, period, num, den, ratio(num, den))


# --- inputs --------------------------------------------------------------------------------


def _cells_frame(sql, params):
    columns = ["scope", "month", "item", *MEASURES]
    cells = frame(sql, params, columns=columns)
    for column in ["month", *MEASURES]:
        cells[column] = cells[column].astype("int64")
    cells["item"] = cells["item"].astype("float64")  # NaN for cases without a power item
    return cells


def agency_cells(agencies, year):
    where, params = agencies.sql("agency_id")
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    return _cells_frame(
        f"SELECT agency_id, month, power_item_id, {sums} FROM {table(Cell)} "
        f"WHERE year = %s AND {where} GROUP BY agency_id, month, power_item_id",
        [year, *params],
    )


def region_cells(region_ids, year):
    """The cells of each region in `region_ids`: one GROUP BY over the agencies below it."""
    sums = ", ".join(f"SUM(c.{m})" for m in MEASURES)
    return _cells_frame(
        f"SELECT g.id, c.month, c.power_item_id, {sums} FROM {table(Cell)} c "
        f"JOIN {table(Agency)} a ON a.id = c.agency_id JOIN {table(Region)} ar ON ar.id = a.region_id "
        f"JOIN {table(Region)} g ON ar.path LIKE g.path || '%%' "
        f"WHERE c.year = %s AND g.id IN ({placeholders(region_ids)}) GROUP BY g.id, c.month, c.power_item_id",
        [year, *region_ids],
    )


def penalty_provisions():
    """item → provision, law for the penalty power items (the catalogue is small)."""
    through = PowerItem.provisions.through
    rows = through.objects.filter(poweritem__action_category=ActionCategory.PENALTY).values_list(
        "poweritem_id", "legalprovision_id", "legalprovision__law_id"
    )
    return pd.DataFrame(list(rows), columns=["item", "provision", "law"], dtype="float64")


def held_items(agency_ids):
    """(agency, penalty item) for the agencies."""
    through = PowerItem.agencies.through
    rows = through.objects.filter(
        agency_id__in=agency_ids, poweritem__action_category=ActionCategory.PENALTY
    ).values_list("agency_id", "poweritem_id")
    return pd.DataFrame(list(rows), columns=["scope", "item"]).astype({"item": "float64"})


def agency_ancestors(agency_ids, region_ids=None):
    """(agency, region) for every region at or above each agency's region, optionally only `region_ids`."""
    paths = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "region__path"))
    codes = {c for p in paths.values() for c in p.split("/") if c}
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "pk"))
    rows = [
        (agency, regions[code])
        for agency, path in paths.items()
        for code in path.split("/")
        if code and code in regions and (region_ids is None or regions[code] in region_ids)
    ]
    return pd.DataFrame(rows, columns=["agency", "region"])


def officer_inputs(agencies, year):
    where, params = agencies.sql("agency_id")
    officers = frame(
        f"SELECT agency_id, month, officer_id, SUM(cases) FROM {table(OfficerMonth)} "
        f"WHERE year = %s AND {where} GROUP BY agency_id, month, officer_id",
        [year, *params],
        columns=["scope", "month", "officer", "cases"],
    )
    certificates = pd.DataFrame(
        list(
            Certificate.objects.filter(
                officer__agency_id__in=agencies.ids(),
                officer__active=True,
                officer__is_supervisor=False,
                status__in=USABLE_CERTIFICATE_STATES,
            ).values_list("officer_id", "officer__agency_id", "valid_from", "valid_to")
        ),
        columns=["officer", "scope", "valid_from", "valid_to"],
    )
    return officers, certificates


# --- computing and writing a set of scopes ---------------------------------------------------


def agency_results(agencies, year, periods, today=None):
    ids = agencies.ids()
    cells = agency_cells(agencies, year)
    provisions = penalty_provisions()
    held = held_items(ids)
    results = list(from_cells(cells, held, provisions, periods, ids))
    officers, certificates = officer_inputs(agencies, year)
    handled = cells.groupby(["scope", "month"], as_index=False)["handled"].sum()
    for period in periods:
        results.extend(officer_values(period, officers, certificates, handled, ids, today))
    return results


def region_results(region_ids, year, periods):
    """Region values from the cells below each region; officer indicators from stored agency rows."""
    region_ids = sorted(set(region_ids))
    if not region_ids:
        return []
    cells = region_cells(region_ids, year)
    ancestry = agency_ancestors(_agencies_below(region_ids), set(region_ids))
    held = (
        held_items(ancestry.agency.unique().tolist())
        .rename(columns={"scope": "agency"})
        .merge(ancestry, on="agency")[["region", "item"]]
        .rename(columns={"region": "scope"})
        .drop_duplicates()
    )
    results = list(from_cells(cells, held, penalty_provisions(), periods, region_ids))
    results.extend(_summed_officer_values(region_ids, year, periods))
    return results


def _agencies_below(region_ids):
    paths = sorted(Region.objects.filter(pk__in=region_ids).values_list("path", flat=True))
    roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    q = Q()
    for path in roots:
        q |= Q(region__path__startswith=path)
    return list(Agency.objects.filter(q).values_list("pk", flat=True))


def _period_sql(periods, prefix="v."):
    clauses = " OR ".join(f"({prefix}period_kind = %s AND {prefix}number = %s)" for _p in periods)
    params = [x for p in periods for x in (p.kind, p.number)]
    return f"({clauses})", params


def _summed_officer_values(region_ids, year, periods):
    from analytics.periods import Period

    period_sql, period_params = _period_sql(periods)
    rows = frame(
        f"SELECT g.id, v.indicator, v.period_kind, v.number, SUM(v.numerator), SUM(v.denominator) "
        f"FROM {table(IndicatorValue)} v JOIN {table(Agency)} a ON a.id = v.agency_id "
        f"JOIN {table(Region)} ar ON ar.id = a.region_id JOIN {table(Region)} g ON ar.path LIKE g.path || '%%' "
        f"WHERE v.scope_kind = %s AND v.year = %s AND v.indicator IN (%s, %s) AND {period_sql} "
        f"AND g.id IN ({placeholders(region_ids)}) GROUP BY g.id, v.indicator, v.period_kind, v.number",
        [ScopeKind.AGENCY, year, *OFFICER_INDICATORS, *period_params, *region_ids],
    )
    for region, code, kind, number, num, den in rows.itertuples(index=False):
        num, den = int(num or 0), int(den or 0)
        yield Result(code, int(region), Period(year, kind, int(number)), num, den, ratio(num, den))


def write(results, scope_kind, scope_ids, year, periods):
    """Replace the stored values of `scope_ids` × `periods` with `results`."""
    if not scope_ids or not periods:
        return 0
    column = "agency_id" if scope_kind == ScopeKind.AGENCY else "region_id"
    period_sql, period_params = _period_sql(periods, prefix="")
    ids = sorted(set(scope_ids))
    execute(
        f"DELETE FROM {table(IndicatorValue)} WHERE scope_kind = %s AND year = %s AND {period_sql} "
        f"AND {column} IN ({placeholders(ids)})",
        [scope_kind, year, *period_params, *ids],
    )
    now = timezone.now()
    rows = [
        (
            r.indicator,
            scope_kind,
            r.scope if scope_kind == ScopeKind.AGENCY else None,
            r.scope if scope_kind == ScopeKind.REGION else None,
            r.period.kind,
            r.period.year,
            r.period.number,
            r.numerator,
            r.denominator,
            r.value,
            r.key_item,
            now,
        )
        for r in results
    ]
    return bulk_write(IndicatorValue, rows, VALUE_COLUMNS)

