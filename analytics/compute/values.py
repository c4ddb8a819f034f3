"""Layer 3: indicator values per scope and period, from the cells (pandas on small frames).

Agency scopes are computed from the agency's cells and officer months. Region scopes are
computed per region level with one GROUP BY over the cells of the agencies below each region
(SQL), then the same arithmetic; the two officer indicators, whose counts are people, are the
sums of the agencies' stored numerators and denominators (an officer belongs to one agency).
One function per indicator below; the definitions are in analytics/indicators.py.
"""

from decimal import Decimal

import numpy as np
import pandas as pd
from django.db.models import Q
from django.utils import timezone

from analytics.indicators import BY_CODE
from analytics.models import Cell, IndicatorValue, OfficerMonth, ScopeKind
from lawenforce.models import ActionCategory, Agency, Certificate, CertificateStatus, PowerItem, Region

from .cells import MEASURES
from .sql import AgencySet, bulk_write, copy_frame, execute, frame, in_clause, placeholders, table

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
# Certificates that were valid until they ran out: the nightly task marks them expired after the
# end date. Suspended and revoked ones count as not valid (the platform keeps no date for that).
USABLE_CERTIFICATE_STATES = (CertificateStatus.VALID, CertificateStatus.EXPIRED)


def decimal(x):
    if x is None or pd.isna(x):
        return None
    return Decimal(f"{float(x):.6f}")


def enabled(code):
    return BY_CODE[code].available


# --- the arithmetic: vectorised over every scope and period at once ---------------------------
#
# `cells` has columns scope, month, item, MEASURES; `pmap` maps each month to the periods that
# contain it (columns month, pk, number), so one merge spreads the cells over months, quarters and
# the year, and one groupby per indicator gives every value. Each function returns a frame with
# columns KEYS + num, den, value[, key_item].

KEYS = ["scope", "pk", "number"]
OUT = ["scope", "pk", "number", "num", "den", "value", "key_item"]


def period_map(periods):
    return pd.DataFrame([(m, p.kind, p.number) for p in periods for m in p.months], columns=["month", "pk", "number"])


def _ratio(num, den):
    den = den.astype("float64")
    return (num / den.where(den > 0)).astype("float64")


def _out(frame, num, den, value, key_item=None):
    out = frame[KEYS].copy()
    out["num"], out["den"], out["value"] = num.values, den.values if den is not None else None, value.values
    out["key_item"] = key_item.values if key_item is not None else None
    return out[OUT]


def complaint_case_rate(sums, **_):
    rows = sums[(sums.complaints_dealt > 0) | (sums.complaints_accepted > 0)]
    return _out(
        rows, rows.complaints_dealt, rows.complaints_accepted, _ratio(rows.complaints_dealt, rows.complaints_accepted)
    )


def evaluation_pass_rate(sums, **_):
    rows = sums[sums.evaluations_finalized > 0]
    return _out(
        rows,
        rows.evaluations_passed,
        rows.evaluations_finalized,
        _ratio(rows.evaluations_passed, rows.evaluations_finalized),
    )


def remedy_loss_rate(sums, **_):
    rows = sums[sums.remedies_concluded > 0]
    return _out(
        rows,
        rows.remedies_overturned,
        rows.remedies_concluded,
        _ratio(rows.remedies_overturned, rows.remedies_concluded),
    )


def violation_count(sums, grid, **_):
    """Every scope and period, zero included: a count of nothing is a count."""
    rows = grid.merge(sums[[*KEYS, "violations"]], on=KEYS, how="left").fillna({"violations": 0})
    rows["violations"] = rows.violations.astype("int64")
    return _out(rows, rows.violations, pd.Series([None] * len(rows)), rows.violations.astype("float64"))


def focus_match(spread, **_):
    """Σ_k min(share of cases under item k, share of complaints about item k)."""
    known = spread[spread["item"].notna()]
    by_item = known.groupby([*KEYS, "item"], as_index=False)[["handled", "complaints_received"]].sum()
    totals = by_item.groupby(KEYS)[["handled", "complaints_received"]].transform("sum")
    share_cases = by_item.handled / totals.handled.where(totals.handled > 0)
    share_complaints = by_item.complaints_received / totals.complaints_received.where(totals.complaints_received > 0)
    by_item["overlap"] = np.fmin(share_cases, share_complaints)
    by_item["both"] = (totals.handled > 0) & (totals.complaints_received > 0)
    rows = by_item.groupby(KEYS, as_index=False).agg(
        num=("handled", "sum"), den=("complaints_received", "sum"), overlap=("overlap", "sum"), both=("both", "max")
    )
    rows = rows[(rows.num > 0) | (rows.den > 0)]
    return _out(rows, rows.num, rows.den, rows.overlap.where(rows.both))


def violation_type_rate(spread, **_):
    """The most frequent violation type (power item) and its share of all violations."""
    with_violations = spread[spread["violations"] > 0]
    totals = with_violations.groupby(KEYS, as_index=False)["violations"].sum().rename(columns={"violations": "total"})
    typed = (
        with_violations[with_violations["item"].notna()].groupby([*KEYS, "item"], as_index=False)["violations"].sum()
    )
    top = typed.sort_values([*KEYS, "violations", "item"], ascending=[True, True, True, False, True]).drop_duplicates(
        KEYS
    )
    rows = totals.merge(top, on=KEYS, how="left")
    rows["violations"] = rows.violations.fillna(0).astype("int64")
    value = _ratio(rows.violations, rows.total).where(rows["item"].notna())
    return _out(rows, rows.violations, rows.total, value, rows["item"].astype("Int64"))


def provision_usage(spread, grid, held, provisions, **_):
    """Provisions of the penalty items used in the period / of the penalty items the scope holds."""
    available = held.merge(provisions, on="item")[["scope", "provision"]].drop_duplicates()
    used = spread[(spread["penalties"] > 0) & spread["item"].notna()][[*KEYS, "item"]].drop_duplicates()
    used = used.merge(provisions, on="item")[[*KEYS, "provision"]].drop_duplicates()
    used = used.merge(available, on=["scope", "provision"])  # only the scope's own provisions
    nums = used.groupby(KEYS).size().rename("num").reset_index()
    dens = available.groupby("scope").size().rename("den").reset_index()
    rows = grid.merge(dens, on="scope").merge(nums, on=KEYS, how="left").fillna({"num": 0})
    rows["num"] = rows.num.astype("int64")
    return _out(rows, rows.num, rows.den, _ratio(rows.num, rows.den))


# What each indicator is computed from: the cell measures, and "officers" (officer months and
# certificates). An incremental refresh recomputes only the indicators whose inputs changed.
INPUTS = {
    "complaint_case_rate": {"complaints_accepted", "complaints_dealt"},
    "focus_match": {"handled", "complaints_received"},
    "provision_usage": {"penalties"},
    "violation_count": {"violations"},
    "violation_type_rate": {"violations"},
    "evaluation_pass_rate": {"evaluations_finalized", "evaluations_passed"},
    "remedy_loss_rate": {"remedies_concluded", "remedies_overturned"},
    "cases_per_officer": {"handled", "officers"},
    "officer_engagement": {"officers"},
}


def affected(inputs):
    """The indicators computed from any of `inputs` (measures, or "officers")."""
    return {code for code, needs in INPUTS.items() if needs & set(inputs)}


CELL_INDICATORS = {
    "complaint_case_rate": complaint_case_rate,
    "focus_match": focus_match,
    "provision_usage": provision_usage,
    "violation_count": violation_count,
    "violation_type_rate": violation_type_rate,
    "evaluation_pass_rate": evaluation_pass_rate,
    "remedy_loss_rate": remedy_loss_rate,
}


def _grid(scopes, periods):
    return pd.DataFrame([(s, p.kind, p.number) for s in scopes for p in periods], columns=KEYS)


def from_cells(cells, held, provisions, periods, scopes, codes=None):
    """Every cell-based indicator (of `codes`, when given) for every scope and period: {code: frame}."""
    spread = cells.merge(period_map(periods), on="month")
    sums = spread.groupby(KEYS, as_index=False)[MEASURES].sum()
    grid = _grid(scopes, periods)
    return {
        code: compute(sums=sums, spread=spread, grid=grid, held=held, provisions=provisions)
        for code, compute in CELL_INDICATORS.items()
        if enabled(code) and (codes is None or code in codes)
    }


def officer_values(periods, officers, certificates, handled, scopes, today=None):
    """人均执法量 and 执法岗位关联率 per agency. `officers`: cases per officer and month;
    `certificates`: officer, scope, valid_from, valid_to; `handled`: cases per scope and month."""
    stock = pd.DataFrame([(p.kind, p.number, p.stock_day(today)) for p in periods], columns=["pk", "number", "day"])
    valid = certificates.merge(stock, how="cross")
    valid = valid[(valid.valid_from <= valid.day) & (valid.valid_to >= valid.day)]
    certified = valid[["scope", "officer", "pk", "number"]].drop_duplicates()
    pmap = period_map(periods)
    busy = (
        officers[officers["cases"] > 0].merge(pmap, on="month")[["scope", "officer", "pk", "number"]].drop_duplicates()
    )
    active = certified.merge(busy, on=["scope", "officer", "pk", "number"])
    n_certified = certified.groupby(KEYS).size().rename("den").reset_index()
    n_active = active.groupby(KEYS).size().rename("active").reset_index()
    cases = handled.merge(pmap, on="month").groupby(KEYS, as_index=False)["handled"].sum()
    rows = _grid(scopes, periods).merge(cases, on=KEYS, how="left").merge(n_certified, on=KEYS, how="left")
    rows = rows.merge(n_active, on=KEYS, how="left").fillna({"handled": 0, "den": 0, "active": 0})
    for column in ("handled", "den", "active"):
        rows[column] = rows[column].astype("int64")
    per_officer = rows[(rows.handled > 0) | (rows.den > 0)]
    engaged = rows[rows.den > 0]
    return {
        "cases_per_officer": _out(
            per_officer, per_officer.handled, per_officer.den, _ratio(per_officer.handled, per_officer.den)
        ),
        "officer_engagement": _out(engaged, engaged.active, engaged.den, _ratio(engaged.active, engaged.den)),
    }


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


def region_cells(ancestry, year, cells=None):
    """The cells of each region of `ancestry` (agency, region pairs): the agencies' cells summed
    per region in pandas. One indexed read of the agencies' cells (GROUP BY per agency, a hash
    aggregate) instead of a join of every cell to every region above it in SQL, which the planner
    cannot estimate (a LIKE on the region path) and so sorts on disk. `cells`: the agencies'
    cells read already (agency_cells of at least these agencies)."""
    if ancestry.empty:
        return _cells_frame("SELECT 1 WHERE 1 = 0", [])
    if cells is None:
        cells = agency_cells(AgencySet(ids=ancestry.agency.unique().tolist()), year)
    spread = cells.merge(ancestry, left_on="scope", right_on="agency")
    out = spread.groupby(["region", "month", "item"], as_index=False, dropna=False)[MEASURES].sum()
    return out.rename(columns={"region": "scope"})[["scope", "month", "item", *MEASURES]]


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


def agency_results(agencies, year, periods, today=None, codes=None, cells=None):
    """{indicator code: frame} for every agency of an AgencySet (the indicators `codes`, when
    given). `cells`: agency_cells read already, of these agencies or more."""
    ids = agencies.ids()
    cells = agency_cells(agencies, year) if cells is None else cells[cells.scope.isin(ids)]
    results = from_cells(cells, held_items(ids), penalty_provisions(), periods, ids, codes)
    if codes is not None and not set(codes) & set(OFFICER_INDICATORS):
        return results
    officers, certificates = officer_inputs(agencies, year)
    handled = cells.groupby(["scope", "month"], as_index=False)["handled"].sum()
    results.update(officer_values(periods, officers, certificates, handled, ids, today))
    return results


def region_results(region_ids, year, periods, codes=None, cells=None):
    """Region values from the cells below each region; officer indicators from stored agency rows
    (the indicators `codes`, when given). `cells`: agency_cells of every agency below, read already."""
    region_ids = sorted(set(region_ids))
    if not region_ids:
        return {}
    ancestry = agency_ancestors(agencies_below(region_ids), set(region_ids))
    cells = region_cells(ancestry, year, cells)
    held = (
        held_items(ancestry.agency.unique().tolist())
        .rename(columns={"scope": "agency"})
        .merge(ancestry, on="agency")[["region", "item"]]
        .rename(columns={"region": "scope"})
        .drop_duplicates()
    )
    results = from_cells(cells, held, penalty_provisions(), periods, region_ids, codes)
    if codes is None or set(codes) & set(OFFICER_INDICATORS):
        results.update(_summed_officer_values(region_ids, year, periods))
    return results


def agencies_below(region_ids):
    """Ids of the agencies in the subtrees of `region_ids`."""
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
    """A region's 人均执法量 and 执法岗位关联率: sums of its agencies' stored counts (one GROUP BY)."""
    period_sql, period_params = _period_sql(periods)
    rows = frame(
        f"SELECT g.id, v.indicator, v.period_kind, v.number, SUM(v.numerator), SUM(v.denominator) "
        f"FROM {table(IndicatorValue)} v JOIN {table(Agency)} a ON a.id = v.agency_id "
        f"JOIN {table(Region)} ar ON ar.id = a.region_id JOIN {table(Region)} g ON ar.path LIKE g.path || '%%' "
        f"WHERE v.scope_kind = %s AND v.year = %s AND v.indicator IN (%s, %s) AND {period_sql} "
        f"AND g.id IN ({placeholders(region_ids)}) GROUP BY g.id, v.indicator, v.period_kind, v.number",
        [ScopeKind.AGENCY, year, *OFFICER_INDICATORS, *period_params, *region_ids],
        columns=["scope", "indicator", "pk", "number", "num", "den"],
    )
    out = {}
    for code in OFFICER_INDICATORS:
        sub = rows[rows.indicator == code]
        num, den = sub.num.fillna(0).astype("int64"), sub.den.fillna(0).astype("int64")
        out[code] = _out(sub, num, den, _ratio(num, den))
    return out


def write(results, scope_kind, scope_ids, year, periods, changed=None, codes=None):
    """Bring the stored values of `scope_ids` × `periods` to `results` ({code: frame}).

    Only what differs is written: the stored rows are read (one query) and compared with the
    results in one merge (vectorised: a refresh compares tens of thousands of values), rows whose
    numerator, denominator, value (at the stored six places) or key item changed, or that are no
    longer computed, are deleted by id, and the new and changed rows are inserted (COPY on
    PostgreSQL). A value a refresh did not change keeps its row and its `computed_at`. Returns the
    number of rows written; `changed`, when given, receives (scope, indicator) of every year value
    inserted or deleted. With `codes`, only those indicators' stored rows are compared (the others
    were not computed and stay as they are)."""
    if not scope_ids or not periods:
        return 0
    column = "agency_id" if scope_kind == ScopeKind.AGENCY else "region_id"
    period_sql, period_params = _period_sql(periods, prefix="")
    scopes_sql, scopes_params = in_clause(column, sorted(set(scope_ids)))
    codes_sql, codes_params = ("1 = 1", []) if codes is None else in_clause("indicator", sorted(codes))
    stored = frame(
        f"SELECT id, indicator, {column}, period_kind, number, numerator, denominator, value, key_item_id "
        f"FROM {table(IndicatorValue)} WHERE scope_kind = %s AND year = %s AND {period_sql} AND {scopes_sql} "
        f"AND {codes_sql}",
        [scope_kind, year, *period_params, *scopes_params, *codes_params],
        columns=["id", *VALUE_KEYS, *PAYLOAD],
    )
    merged = _comparable(_results_frame(results)).merge(
        _comparable(stored), on=VALUE_KEYS, how="outer", suffixes=("", "_old"), indicator="side"
    )
    same = merged.side.eq("both")
    for name in COMPARED:
        new, old = merged[name], merged[f"{name}_old"]
        same &= new.eq(old) | (new.isna() & old.isna())
    fresh = merged[merged.side.ne("right_only") & ~same]
    stale = merged[merged.side.ne("left_only") & ~same]
    if changed is not None:
        for rows in (fresh, stale):
            year_rows = rows[rows.pk.eq("year")]
            changed.update(zip(year_rows.scope.astype("int64").tolist(), year_rows.indicator.tolist(), strict=True))
    stale_ids = stale.id.astype("int64").tolist()
    for start in range(0, len(stale_ids), 10000):
        chunk_sql, chunk_params = in_clause("id", stale_ids[start : start + 10000])
        execute(f"DELETE FROM {table(IndicatorValue)} WHERE {chunk_sql}", chunk_params)
    return _insert_values(fresh, scope_kind, year)


def _insert_values(fresh, scope_kind, year):
    """Insert the rows of `fresh` (VALUE_KEYS + PAYLOAD, counts as floats) as IndicatorValues."""
    if fresh.empty:
        return 0
    scope, now = fresh.scope.astype("int64"), timezone.now()
    missing = pd.Series(pd.NA, index=fresh.index, dtype="Int64")
    agency = scope_kind == ScopeKind.AGENCY
    out = pd.DataFrame(
        {
            "indicator": fresh.indicator,
            "scope_kind": scope_kind,
            "agency": scope.astype("Int64") if agency else missing,
            "region": missing if agency else scope.astype("Int64"),
            "period_kind": fresh.pk,
            "year": year,
            "number": fresh.number.astype("int64"),
            "numerator": fresh.numerator.round().astype("Int64"),
            "denominator": fresh.denominator.round().astype("Int64"),
            "value": fresh.value.round(6),  # the stored six places (DecimalField)
            "key_item": fresh.key_item.round().astype("Int64"),
            "computed_at": now,
        }
    )
    # COPY gets the time as one text for every row: pandas formats a datetime column row by row,
    # which took longer than the COPY itself.
    if copy_frame(IndicatorValue, out.assign(computed_at=now.isoformat()), VALUE_COLUMNS):
        return len(out)
    rows = [
        (*row[:9], decimal(row[9]), *(None if pd.isna(x) else x for x in row[10:]))
        for row in out.astype(object).where(out.notna(), None).itertuples(index=False)
    ]
    return bulk_write(IndicatorValue, rows, VALUE_COLUMNS)


VALUE_KEYS = ["indicator", "scope", "pk", "number"]
PAYLOAD = ["numerator", "denominator", "value", "key_item"]
COMPARED = ["numerator", "denominator", "millionths", "key_item"]


def _results_frame(results):
    """The {code: frame} of a computation as one frame with VALUE_KEYS + PAYLOAD columns."""
    frames = [
        result.assign(indicator=code).rename(columns={"num": "numerator", "den": "denominator"})
        for code, result in results.items()
        if len(result)
    ]
    if not frames:
        return pd.DataFrame(columns=[*VALUE_KEYS, *PAYLOAD])
    return pd.concat(frames, ignore_index=True)[[*VALUE_KEYS, *PAYLOAD]]


def _comparable(values):
    """Keys as integers and payloads as floats, plus the value in millionths (the stored six
    places), so that stored and computed rows compare with ==. Counts are far below 2^53, exact
    as floats; SQLite hands the stored value back as a float, PostgreSQL as a Decimal."""
    out = values.copy()
    for name in ("scope", "number"):
        out[name] = out[name].astype("int64")
    for name in ("numerator", "denominator", "key_item"):
        out[name] = pd.to_numeric(out[name], errors="coerce").astype("float64")
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["millionths"] = np.round(out["value"] * 1_000_000)
    return out


def _int(x):
    return None if x is None or pd.isna(x) else int(x)
