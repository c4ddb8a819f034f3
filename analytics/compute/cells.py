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
from analytics.models import CaseFact, Cell, OfficerMonth

from .sql import AgencySet, bulk_write, execute, handlers_table, placeholders, table

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
CELL_COLUMNS = ["agency", "year", "month", "power_item", *MEASURES]
# Complaints that are not the agency's to handle: refused, or passed to another body.
NOT_ACCEPTED_STATES = ("rejected", "transferred")


def rebuild(agencies, yms):
    """Recompute the cells and officer months of `agencies` × `yms`. Returns cells written."""
    yms = sorted(set(yms))
    if not yms:
        return 0
    where, params = agencies.sql("agency_id")
    ym_sql = f"year * 100 + month IN ({placeholders(yms)})"
    execute(f"DELETE FROM {table(Cell)} WHERE {where} AND {ym_sql}", [*params, *yms])
    execute(f"DELETE FROM {table(OfficerMonth)} WHERE {where} AND {ym_sql}", [*params, *yms])
    written = _from_case_facts(where, params, yms)
    written += _officer_months(agencies, yms)
    rows = _other_sources(agencies, yms)
    written += bulk_write(Cell, rows, CELL_COLUMNS)
    return written


def rebuild_exact(pairs, officer_cells):
    """Incremental: recompute exactly the (agency, ym) cells of `pairs`, not every agency of the
    set × every month any of them touched (1,000 decisions spread over 300 agencies dirty a few
    months of each agency, not twelve), and the officer months of `officer_cells`. The same
    queries as `rebuild`, each restricted by one (month, agencies) clause per month."""
    by_month = {}
    for agency, ym in pairs:
        if ym:
            by_month.setdefault(ym, set()).add(agency)
    if not by_month:
        return 0
    months = sorted(by_month.items())

    def where(ym_sql):
        clauses, params = [], []
        for ym, ids in months:
            ids = sorted(ids)
            clauses.append(f"({ym_sql} = %s AND agency_id IN ({placeholders(ids)}))")
            params += [ym, *ids]
        return "(" + " OR ".join(clauses) + ")", params

    delete_where, delete_params = where("year * 100 + month")
    execute(f"DELETE FROM {table(Cell)} WHERE {delete_where}", delete_params)
    written = _from_case_facts_where(where("handled_ym"), where("decided_ym"))
    written += _rebuild_officer_months(officer_cells)
    rows = _other_sources_q(lambda lookup, field, aware: _exact_filter(months, lookup, field, aware))
    written += bulk_write(Cell, rows, CELL_COLUMNS)
    return written


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
        (f"{where} AND handled_ym {ym_in}", [*params, *yms]), (f"{where} AND decided_ym {ym_in}", [*params, *yms])
    )


def _from_case_facts_where(handled_where, decided_where):
    """Insert the case-fact cells: `handled_where` and `decided_where` are (SQL, params) on the facts."""
    cells, facts = table(Cell), table(CaseFact)
    columns = "agency_id, year, month, power_item_id, " + ", ".join(MEASURES)
    handled = execute(
        f"INSERT INTO {cells} ({columns}) "
        f"SELECT agency_id, handled_ym / 100, handled_ym %% 100, power_item_id, {_zeros(handled='COUNT(*)')} "
        f"FROM {facts} WHERE {handled_where[0]} GROUP BY agency_id, handled_ym, power_item_id",
        handled_where[1],
    )
    decided = execute(
        f"INSERT INTO {cells} ({columns}) "
        f"SELECT agency_id, decided_ym / 100, decided_ym %% 100, power_item_id, "
        f"{_zeros(violations='SUM(CASE WHEN violation THEN 1 ELSE 0 END)', penalties='SUM(CASE WHEN penalty THEN 1 ELSE 0 END)')} "
        f"FROM {facts} WHERE {decided_where[0]} AND (violation OR penalty) "
        f"GROUP BY agency_id, decided_ym, power_item_id",
        decided_where[1],
    )
    return max(handled, 0) + max(decided, 0)


def _officer_months(agencies, yms):
    where, params = agencies.sql("f.agency_id")
    return execute(
        f"INSERT INTO {table(OfficerMonth)} (agency_id, year, month, officer_id, cases) "
        f"SELECT f.agency_id, f.handled_ym / 100, f.handled_ym %% 100, h.officer_id, COUNT(*) "
        f"FROM {table(CaseFact)} f JOIN {handlers_table()} h ON h.case_id = f.case_id "
        f"WHERE {where} AND f.handled_ym IN ({placeholders(yms)}) "
        f"GROUP BY f.agency_id, f.handled_ym, h.officer_id",
        [*params, *yms],
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


def _other_sources(agencies, yms):
    """Cells from complaints, dossier evaluations and remedies (each optional, see sources)."""
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
                _row(r, "case__agency_id", evaluations_finalized=r["finalized"], evaluations_passed=r["passed"])
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
                _row(r, "case__agency_id", remedies_concluded=r["concluded"], remedies_overturned=r["overturned"])
            )
    return rows


def _row(r, agency_key, **measures):
    return (r[agency_key], r["g_year"], r["g_month"], r["g_item"], *(measures.get(m, 0) for m in MEASURES))
