"""Layer 2: additive counts per (agency, month, power item), and officers' monthly case counts.

`rebuild(agencies, yms)` recomputes the cells of `agencies` (an AgencySet) for the months `yms`
(year*100+month) from the case facts (set-based INSERT … SELECT with GROUP BY) and from the
complaints, evaluations and remedies (one GROUP BY query each). The incremental path calls it
with the agencies and months that changed, the full recompute with a province and a year.
"""

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from analytics import sources
from analytics.models import CaseFact, Cell, CellSource, OfficerMonth
from analytics.periods import ym_of

from .sql import AgencySet, bulk_write, execute, fetch, handlers_table, insert_aggregate, placeholders, table

MEASURES = [
    "handled",
    "violations",
    "penalties",
    "complaints_received",
    "complaints_accepted",
    "complaints_dealt",
    "evaluations_finalized",
    "evaluations_passed",
    "remedies_concluded",
    "remedies_overturned",
]
CELL_COLUMNS = ["agency", "year", "month", "power_item", *MEASURES, "source"]
# Complaints that are not the agency's to handle: refused, or passed to another body.
NOT_ACCEPTED_STATES = ("rejected", "transferred")


def rebuild(agencies, yms, others=None):
    """Recompute the cells and officer months of `agencies` × `yms`. `others`: the cells of the
    complaints, evaluations and remedies (other_sources(agencies, yms)) when they were read
    already (on a helper connection, refresh.full); read here otherwise. Returns rows written."""
    yms = sorted(set(yms))
    if not yms:
        return 0
    if others is None:
        others = other_sources(agencies, yms)
    where, params = agencies.sql("agency_id")
    ym_sql = f"year * 100 + month IN ({placeholders(yms)})"
    execute(f"DELETE FROM {table(Cell)} WHERE {where} AND {ym_sql}", [*params, *yms])
    execute(f"DELETE FROM {table(OfficerMonth)} WHERE {where} AND {ym_sql}", [*params, *yms])
    written = _from_case_facts(where, params, yms)
    written += _officer_months(agencies, yms, parallel=True)
    return written + bulk_write(Cell, others, CELL_COLUMNS)


def counts(agencies, years):
    """{year: cell and officer-month rows of `agencies`} (what a full recompute wrote)."""
    where, params = agencies.sql("agency_id")
    found = dict.fromkeys(years, 0)
    for model in (Cell, OfficerMonth):
        for year, count in fetch(
            f"SELECT year, COUNT(*) FROM {table(model)} WHERE {where} AND year IN ({placeholders(years)}) GROUP BY year",
            [*params, *years],
        ):
            found[year] += count
    return found


def rebuild_exact(case_pairs, recount_pairs, officer_cells, deltas=()):
    """Incremental: recompute exactly the (agency, ym) cells that changed, not every agency of
    the set × every month any of them touched (1,000 decisions spread over 300 agencies dirty a
    few months of each agency, not twelve), each source only where it changed:

    - `case_pairs`: cells whose cases (filed, decided) changed: their case rows, from the facts;
    - `recount_pairs`: cells recounted from every source (a complaint, evaluation or certificate
      changed, or a case moved to another agency or power item with its evaluations and remedies);
    - `officer_cells`: officer months to recompute;
    - `deltas`: (agency, ym, item, ±1) of complaints dealt with: a complaint whose case was
      decided (or no longer is) changes its cell by one, added as a partial row (the complaints of
      a month are not counted again for it), except in recounted cells.

    Returns the number of rows written."""
    written = 0
    case_where = _pairs_where(case_pairs | recount_pairs)
    if case_where:
        sql, params = case_where("year * 100 + month")
        execute(f"DELETE FROM {table(Cell)} WHERE source = %s AND {sql}", [CellSource.CASES, *params])
        written += _from_case_facts_where(case_where("handled_ym"), case_where("decided_ym"))
    recount_where = _pairs_where(recount_pairs)
    if recount_where:
        sql, params = recount_where("year * 100 + month")
        execute(f"DELETE FROM {table(Cell)} WHERE source <> %s AND {sql}", [CellSource.CASES, *params])
        months = _by_month(recount_pairs)
        rows = _other_sources_q(lambda lookup, field, aware: _exact_filter(months, lookup, field, aware))
        written += bulk_write(Cell, rows, CELL_COLUMNS)
    written += _rebuild_officer_months(officer_cells)
    rows = [
        (
            agency,
            ym // 100,
            ym % 100,
            item,
            *(change if m == "complaints_dealt" else 0 for m in MEASURES),
            CellSource.COMPLAINTS,
        )
        for agency, ym, item, change in deltas
        if (agency, ym) not in recount_pairs
    ]
    return written + bulk_write(Cell, rows, CELL_COLUMNS)


def _by_month(pairs):
    """[(ym, {agency, …})] of (agency, ym) pairs, months in order."""
    by_month = {}
    for agency, ym in pairs:
        if ym:
            by_month.setdefault(ym, set()).add(agency)
    return sorted(by_month.items())


def _pairs_where(pairs):
    """A function ym_sql → (SQL, params) keeping the rows of the (agency, ym) `pairs`, one
    (month, agencies) clause per month; None when there are none."""
    months = _by_month(pairs)
    if not months:
        return None

    def where(ym_sql):
        clauses, params = [], []
        for ym, ids in months:
            ids = sorted(ids)
            clauses.append(f"({ym_sql} = %s AND agency_id IN ({placeholders(ids)}))")
            params += [ym, *ids]
        return "(" + " OR ".join(clauses) + ")", params

    return where


def complaint_deltas(before, after):
    """(agency, ym, item, ±1) for the accepted complaints of the cases whose decision came or
    went between two facts.rows_of answers: their cells' 查处 count moves by one."""
    changed = [case for case in set(before) | set(after) if _decided(before.get(case)) != _decided(after.get(case))]
    complaint = sources.model(sources.COMPLAINTS)
    if not changed or complaint is None:
        return []
    rows = (
        complaint.objects.filter(case_id__in=changed, agency__isnull=False, accepted_on__isnull=False)
        .exclude(state__in=NOT_ACCEPTED_STATES)
        .values_list("case_id", "agency_id", "received_at", "power_item_id")
    )
    return [
        (agency, ym_of(received), item, 1 if _decided(after.get(case)) else -1) for case, agency, received, item in rows
    ]


def _decided(fact):
    return fact is not None and fact[3] is not None  # facts.rows_of: decided_ym


def moved_cells(before, after):
    """Cells of the evaluations and remedies of cases whose agency or power item changed (both
    the old and the new cell): they count under the case's agency and item."""
    moved = {
        case: (before.get(case), after.get(case))
        for case in set(before) | set(after)
        if (before.get(case) or (None, None))[:2] != (after.get(case) or (None, None))[:2]
    }
    found = set()
    if not moved:
        return found
    for name, field in ((sources.EVALUATIONS, "finalized_at"), (sources.REMEDIES, "outcome_on")):
        model = sources.model(name)
        if model is None:
            continue
        for case, when in model.objects.filter(case_id__in=list(moved), **{f"{field}__isnull": False}).values_list(
            "case_id", field
        ):
            found |= {(fact[0], ym_of(when)) for fact in moved[case] if fact is not None}
    return found


def _rebuild_officer_months(officer_cells):
    """Recompute the officer months of the (agency, ym) pairs of `officer_cells`, month by month.
    Officer months count cases by the month they were handled, so a decision, a complaint or an
    evaluation does not change them: the incremental refresh passes only the cells whose handled
    cases changed."""
    by_month = {}
    for agency, ym in officer_cells:
        by_month.setdefault(ym, set()).add(agency)
    written = 0
    for ym, ids in sorted(by_month.items()):
        month = AgencySet(ids=ids)
        where, params = month.sql("agency_id")
        execute(
            f"DELETE FROM {table(OfficerMonth)} WHERE {where} AND year = %s AND month = %s",
            [*params, ym // 100, ym % 100],
        )
        written += _officer_months(month, [ym])
    return written


def _exact_filter(months, lookup, field, aware):
    """A Q keeping rows of the (month, agencies) pairs: `lookup` the agency FK path, `field` the date."""
    q = Q()
    for ym, ids in months:
        q |= Q(**{f"{lookup}__in": sorted(ids)}) & _month_filter(field, [ym], aware=aware)
    return q


def _zeros(**measures):
    return ", ".join(measures.get(m, "0") for m in MEASURES)


def _from_case_facts(where, params, yms):
    ym_in = f"IN ({placeholders(yms)})"
    return _from_case_facts_where(
        (f"{where} AND handled_ym {ym_in}", [*params, *yms]),
        (f"{where} AND decided_ym {ym_in}", [*params, *yms]),
        parallel=True,
    )


CELL_FIELDS = ["agency", "year", "month", "power_item", *MEASURES, "source"]


def _from_case_facts_where(handled_where, decided_where, parallel=False):
    """Insert the case-fact cells: `handled_where` and `decided_where` are (SQL, params) on the
    facts; `parallel` for a whole year (sql.insert_aggregate)."""
    facts = table(CaseFact)
    handled = insert_aggregate(
        Cell,
        CELL_FIELDS,
        f"SELECT agency_id, handled_ym / 100, handled_ym %% 100, power_item_id, {_zeros(handled='COUNT(*)')}, "
        f"{CellSource.CASES:d} FROM {facts} WHERE {handled_where[0]} GROUP BY agency_id, handled_ym, power_item_id",
        handled_where[1],
        parallel,
    )
    decided = insert_aggregate(
        Cell,
        CELL_FIELDS,
        f"SELECT agency_id, decided_ym / 100, decided_ym %% 100, power_item_id, "
        f"{_zeros(violations='SUM(CASE WHEN violation THEN 1 ELSE 0 END)', penalties='SUM(CASE WHEN penalty THEN 1 ELSE 0 END)')}, "
        f"{CellSource.CASES:d} FROM {facts} WHERE {decided_where[0]} AND (violation OR penalty) "
        f"GROUP BY agency_id, decided_ym, power_item_id",
        decided_where[1],
        parallel,
    )
    return max(handled, 0) + max(decided, 0)


def _officer_months(agencies, yms, parallel=False):
    where, params = agencies.sql("f.agency_id")
    return insert_aggregate(
        OfficerMonth,
        ["agency", "year", "month", "officer", "cases"],
        f"SELECT f.agency_id, f.handled_ym / 100, f.handled_ym %% 100, h.officer_id, COUNT(*) "
        f"FROM {table(CaseFact)} f JOIN {handlers_table()} h ON h.case_id = f.case_id "
        f"WHERE {where} AND f.handled_ym IN ({placeholders(yms)}) "
        f"GROUP BY f.agency_id, f.handled_ym, h.officer_id",
        [*params, *yms],
        parallel,
    )


def _month_filter(field, yms, aware=False):
    """A Q that keeps rows whose `field` falls in one of the months `yms`: one range per run of
    consecutive months (ranges, not EXTRACT, so the database compares the column as stored)."""
    q = Q()
    for first, last in _runs(sorted(yms)):
        start = datetime.date(first // 100, first % 100, 1)
        end = datetime.date(last // 100 + (last % 100 == 12), last % 100 % 12 + 1, 1)
        if aware:
            tz = timezone.get_current_timezone()
            start = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
            end = datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)
        q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return q


def _runs(yms):
    """[(first, last)] of consecutive months in sorted `yms`."""
    runs = []
    for ym in yms:
        previous = ym - 1 if ym % 100 != 1 else (ym // 100 - 1) * 100 + 12
        if runs and runs[-1][1] == previous:
            runs[-1][1] = ym
        else:
            runs.append([ym, ym])
    return [tuple(r) for r in runs]


def _grouped(queryset, agency_path, when_field, **counts):
    """Rows (agency, year, month, power item, counts…) of `queryset` grouped by cell."""
    return (
        queryset.order_by()
        .annotate(g_year=ExtractYear(when_field), g_month=ExtractMonth(when_field))
        .values(agency_path, "g_year", "g_month", "g_item")
        .annotate(**counts)
    )


def other_sources(agencies, yms):
    """Cell rows (CELL_COLUMNS) of the complaints, dossier evaluations and remedies of
    `agencies` in the months `yms` (each source optional, see sources). Reads only: the full
    recompute runs it on a helper connection that reads the same snapshot while the case facts
    are written (refresh.full)."""
    return _other_sources_q(
        lambda lookup, field, aware: Q(**agencies.queryset_filter(lookup)) & _month_filter(field, yms, aware=aware)
    )


def _other_sources_q(cells):
    """The same, for the cells `cells(agency lookup, date field, aware)` (a Q) keeps."""
    rows = []
    complaint = sources.model(sources.COMPLAINTS)
    if complaint is not None:
        qs = complaint.objects.filter(agency__isnull=False).filter(cells("agency", "received_at", True))
        accepted = Q(accepted_on__isnull=False) & ~Q(state__in=NOT_ACCEPTED_STATES)
        for r in _grouped(
            qs.annotate(g_item=F("power_item_id")),
            "agency_id",
            "received_at",
            received=Count("pk"),
            accepted=Count("pk", filter=accepted),
            dealt=Count("pk", filter=accepted & Q(case__decided_on__isnull=False)),
        ):
            rows.append(
                _row(
                    r,
                    "agency_id",
                    CellSource.COMPLAINTS,
                    complaints_received=r["received"],
                    complaints_accepted=r["accepted"],
                    complaints_dealt=r["dealt"],
                )
            )
    evaluation = sources.model(sources.EVALUATIONS)
    if evaluation is not None:
        qs = evaluation.objects.filter(finalized_at__isnull=False, passed__isnull=False).filter(
            cells("case__agency", "finalized_at", True)
        )
        for r in _grouped(
            qs.annotate(g_item=F("case__power_item_id")),
            "case__agency_id",
            "finalized_at",
            finalized=Count("pk"),
            passed=Count("pk", filter=Q(passed=True)),
        ):
            rows.append(
                _row(
                    r,
                    "case__agency_id",
                    CellSource.EVALUATIONS,
                    evaluations_finalized=r["finalized"],
                    evaluations_passed=r["passed"],
                )
            )
    remedy = sources.model(sources.REMEDIES)
    if remedy is not None:
        qs = (
            remedy.objects.filter(outcome_on__isnull=False)
            .exclude(outcome="")
            .filter(cells("case__agency", "outcome_on", False))
        )
        for r in _grouped(
            qs.annotate(g_item=F("case__power_item_id")),
            "case__agency_id",
            "outcome_on",
            concluded=Count("pk"),
            overturned=Count("pk", filter=Q(overturned=True)),
        ):
            rows.append(
                _row(
                    r,
                    "case__agency_id",
                    CellSource.REMEDIES,
                    remedies_concluded=r["concluded"],
                    remedies_overturned=r["overturned"],
                )
            )
    return rows


def _row(r, agency_key, source, **measures):
    counts = (measures.get(m, 0) for m in MEASURES)
    return (r[agency_key], r["g_year"], r["g_month"], r["g_item"], *counts, source)
