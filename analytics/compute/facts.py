"""Layer 1: one CaseFact per case that counts (filed, or decided on the spot), from cases.Case.

Written with set-based INSERT … SELECT (the case rows never travel to Python), for a whole
province and year (full recompute) or for the cases that changed (incremental).
"""

import contextlib
import datetime

from django.db import connection
from django.db.models import BooleanField, Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from analytics.indicators import PENALTY_KIND, VIOLATION_KINDS
from analytics.models import CaseFact
from cases.models import Case as CaseModel

from .sql import bulk_write, execute, in_clause, placeholders, table

COLUMNS = ["case", "agency", "power_item", "handled_ym", "decided_ym", "violation", "penalty"]
SOURCE_NAMES = ["a_case", "a_agency", "a_item", "a_handled", "a_decided", "a_violation", "a_penalty"]


def _ym(expression):
    return ExtractYear(expression) * 100 + ExtractMonth(expression)


def counted_cases():
    """Cases that count anywhere: handled (filed, or on the spot) or decided."""
    return CaseModel.objects.order_by().filter(Q(filed_on__isnull=False) | Q(decided_on__isnull=False))


def _rows(cases):
    decided = Q(decided_on__isnull=False)
    return cases.annotate(
        a_case=F("pk"),
        a_agency=F("agency_id"),
        a_item=F("power_item_id"),
        a_handled=_ym(Coalesce("filed_on", "decided_on")),
        a_decided=Case(When(decided, then=_ym("decided_on")), default=None, output_field=IntegerField()),
        a_violation=Case(
            When(decided & Q(decision_kind__in=VIOLATION_KINDS), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        a_penalty=Case(
            When(decided & Q(decision_kind=PENALTY_KIND), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).values("a_case", "a_agency", "a_item", "a_handled", "a_decided", "a_violation", "a_penalty")


def _insert(cases):
    sql, params = _rows(cases).query.sql_with_params()
    return execute(f"INSERT INTO {table(CaseFact)} ({', '.join(_columns())}) SELECT {_SOURCE} FROM ({sql}) q", params)


def _upsert(cases):
    """Insert the facts of `cases`, or update a stored fact where it differs (ON CONFLICT on the
    case: PostgreSQL and SQLite ≥ 3.24 alike; IS DISTINCT FROM treats NULL months as values).
    Only the rows that are new or differ reach the INSERT (one join with the stored facts), in
    (agency, month) order, so the facts' (agency, month) indexes are filled page by page."""
    sql, params = _rows(cases).query.sql_with_params()
    facts, columns = table(CaseFact), _columns()
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    differs = " OR ".join(f"{facts}.{c} IS DISTINCT FROM excluded.{c}" for c in columns[1:])
    return execute(
        f"INSERT INTO {facts} ({', '.join(columns)}) SELECT {_SOURCE} FROM ({sql}) q "
        f"LEFT JOIN {facts} f ON f.case_id = q.a_case WHERE f.case_id IS NULL OR {_differs('f', 'q')} "
        f"ORDER BY q.a_agency, q.a_handled "
        f"ON CONFLICT ({columns[0]}) DO UPDATE SET {sets} WHERE {differs}",
        params,
    )


_SOURCE = "q.a_case, q.a_agency, q.a_item, q.a_handled, q.a_decided, q.a_violation, q.a_penalty"


def _columns():
    qn = connection.ops.quote_name
    return [qn(CaseFact._meta.get_field(c).column) for c in COLUMNS]


def _differs(stored, computed):
    """SQL: the stored fact `stored` differs from the computed row `computed` (SOURCE_NAMES)."""
    pairs = zip(_columns()[1:], SOURCE_NAMES[1:], strict=True)
    return "(" + " OR ".join(f"{stored}.{c} IS DISTINCT FROM {computed}.{name}" for c, name in pairs) + ")"


def _write_changes(cases):
    """PostgreSQL: write the facts of `cases` that are new or differ from the stored ones.

    One SELECT finds them (the cases' rows joined with the stored facts) as CREATE TEMP TABLE …
    AS, which runs in parallel (an INSERT … SELECT never does); the changed facts are then updated
    and the new ones inserted with a plain INSERT, which costs about 40 % less than an
    INSERT … ON CONFLICT probing every row (1,000,000 facts: 2.3 s against 3.7 s). The nightly
    recompute finds almost nothing to write. Into an empty table (the first build, the rebuild
    after a crash) the facts are inserted straight away, with the secondary indexes built after;
    a recompute that adds many facts to stored ones is a bulk load too (BULK_SHARE)."""
    if not CaseFact.objects.exists():  # the first build, or the rebuild after a crash
        with _indexes_dropped(primary_key=True):
            _insert(cases)
        return
    sql, params = _rows(cases).query.sql_with_params()
    facts, columns = table(CaseFact), _columns()
    changes = connection.ops.quote_name("analytics_fact_changes")
    execute(
        f"CREATE TEMPORARY TABLE {changes} ON COMMIT DROP AS SELECT q.*, f.case_id IS NOT NULL AS stored "
        f"FROM ({sql}) q LEFT JOIN {facts} f ON f.case_id = q.a_case WHERE f.case_id IS NULL OR {_differs('f', 'q')}",
        params,
    )
    try:
        ((changed, new),) = _fetch(
            f"SELECT COUNT(*) FILTER (WHERE stored), COUNT(*) FILTER (WHERE NOT stored) FROM {changes}", []
        )
        if changed:
            sets = ", ".join(f"{c} = d.{name}" for c, name in zip(columns[1:], SOURCE_NAMES[1:], strict=True))
            execute(f"UPDATE {facts} SET {sets} FROM {changes} d WHERE d.stored AND {facts}.case_id = d.a_case")
        insert = f"INSERT INTO {facts} ({', '.join(columns)}) SELECT {_SOURCE} FROM {changes} q WHERE NOT q.stored"
        if _bulk_load(new):
            with _indexes_dropped():
                execute(insert)
        elif new:
            execute(f"{insert} ORDER BY q.a_agency, q.a_handled")  # the indexes filled page by page
    finally:
        execute(f"DROP TABLE {changes}")


def rebuild(agencies, years):
    """Rewrite the facts of every case of `agencies` (an AgencySet) that counts in one of `years`
    by its own dates or by its stored fact (so a case whose dates moved out of the years is
    rewritten too, not lost), in one pass over the cases for all the years. Returns
    {year: number of facts of the year's cases}."""
    years = sorted(set(years))
    where, params = agencies.sql("agency_id")
    in_years, bounds = _in_years(years)
    # Stored facts of the years whose case no longer counts in them for the same agency (its
    # dates moved out of the years, it was deleted or no longer counts, it moved to another
    # agency) go, found by one anti-join; those whose case still counts for an agency of the set
    # are written again below with what the case says now. A stored fact that did not change is not
    # touched: the nightly recompute rewrites only what moved since the last one.
    facts = table(CaseFact)
    dates = " OR ".join(["c.filed_on BETWEEN %s AND %s OR c.decided_on BETWEEN %s AND %s"] * len(years))
    # A SELECT can use parallel workers where a DELETE … RETURNING cannot: the stale facts (few,
    # but found among a million) are selected, then deleted by id.
    gone = [
        row[0]
        for row in _fetch(
            f"SELECT case_id FROM {facts} WHERE {where} AND {in_years} AND NOT EXISTS ("
            f"SELECT 1 FROM {table(CaseModel)} c WHERE c.id = {facts}.case_id AND c.agency_id = {facts}.agency_id "
            f"AND ({dates}))",
            [*params, *bounds, *(d for year in years for d in _year_bounds(year))],
        )
    ]
    for start in range(0, len(gone), 10_000):
        chunk_sql, chunk_params = in_clause("case_id", gone[start : start + 10_000])
        execute(f"DELETE FROM {facts} WHERE {chunk_sql}", chunk_params)
    source = (
        counted_cases()
        .filter(**agencies.queryset_filter())
        .filter(Q(filed_on__year__in=years) | Q(decided_on__year__in=years) | Q(pk__in=gone))
    )
    if connection.vendor == "postgresql":
        _write_changes(source)
    else:
        _upsert(source)
    return _counts(where, params, years)


# Inserting more new facts than this share of the rows stored is a bulk load (PostgreSQL): the
# (agency, month) indexes are dropped and built again afterwards, which is about a third cheaper
# than maintaining them row by row (600,000 facts: 2.2 s against 3.2 s). The first recompute
# and the rebuild after a crash are bulk loads; the nightly recompute, whose facts are stored
# already and which writes only what changed, is not.
BULK_SHARE = 0.5


def _bulk_load(new):
    """Whether inserting `new` facts is a bulk load."""
    if new < 10_000:
        return False
    ((stored,),) = _fetch(f"SELECT COUNT(*) FROM {table(CaseFact)}", [])
    return new > stored * BULK_SHARE


@contextlib.contextmanager
def _indexes_dropped(primary_key=False):
    """The facts' secondary indexes (and with `primary_key`, into an empty table, the primary key)
    are dropped meanwhile and built again at the end, each in one sorted pass (inside the
    computation's transaction: a failure rolls the drop back too). Building the primary key
    afterwards also checks that no case got two facts."""
    facts, pk = table(CaseFact), _primary_key_name() if primary_key else None
    with connection.schema_editor() as editor:
        for index in CaseFact._meta.indexes:
            editor.remove_index(CaseFact, index)
        if primary_key:
            editor.execute(f"ALTER TABLE {facts} DROP CONSTRAINT {pk}")
    yield
    with connection.schema_editor() as editor:
        if primary_key:
            column = connection.ops.quote_name(CaseFact._meta.pk.column)
            editor.execute(f"ALTER TABLE {facts} ADD CONSTRAINT {pk} PRIMARY KEY ({column})")
        for index in CaseFact._meta.indexes:
            editor.add_index(CaseFact, index)


def _primary_key_name():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, CaseFact._meta.db_table)
    return connection.ops.quote_name(next(name for name, c in constraints.items() if c["primary_key"]))


def _in_years(years):
    """(SQL, params): a fact counts in one of `years` (handled or decided then)."""
    clauses, params = [], []
    for year in years:
        lo, hi = year * 100 + 1, year * 100 + 12
        clauses.append("(handled_ym BETWEEN %s AND %s) OR (decided_ym BETWEEN %s AND %s)")
        params += [lo, hi, lo, hi]
    return "(" + " OR ".join(clauses) + ")", params


def _counts(where, params, years):
    """{year: facts of `agencies` (the WHERE fragment) that count in the year}, in one scan."""
    sums, more = [], []
    for year in years:
        in_year, bounds = _in_years([year])
        sums.append(f"SUM(CASE WHEN {in_year} THEN 1 ELSE 0 END)")
        more += bounds
    (row,) = _fetch(f"SELECT {', '.join(sums)} FROM {table(CaseFact)} WHERE {where}", [*more, *params])
    return {year: count or 0 for year, count in zip(years, row, strict=True)}


def _year_bounds(year):
    lo, hi = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return [lo, hi, lo, hi]


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rows_of(case_ids):
    """{case id: (agency, power item, handled_ym, decided_ym, violation, penalty)} as stored."""
    if not case_ids:
        return {}
    rows = _fetch(
        f"SELECT case_id, agency_id, power_item_id, handled_ym, decided_ym, violation, penalty FROM {table(CaseFact)} "
        f"WHERE case_id IN ({placeholders(case_ids)})",
        list(case_ids),
    )
    return {row[0]: (row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6])) for row in rows}


def changed_cells(before, after, handled_cells=None):
    """The (agency, ym) cells whose counts differ between two `rows_of` answers, and the ids of
    the cases whose decision changed (their complaints' months change too). A step that moved
    nothing the indicators count (a notice served, a hearing held) changes no cell: only filing
    (the handled month, with the handlers) and deciding do. The cells whose handled cases
    changed (the officer months to recompute) are added to `handled_cells` when given."""
    cells, decided = set(), set()
    for case_id in set(before) | set(after):
        old, new = before.get(case_id), after.get(case_id)
        if old == new:
            continue
        for row in (old, new):
            if row is None:
                continue
            agency, item, handled, decided_ym, violation, penalty = row
            other = new if row is old else old
            if other is None or (agency, item, handled) != other[:3]:
                cells.add((agency, handled))
                if handled_cells is not None and handled:
                    handled_cells.add((agency, handled))
            if other is None or (agency, item, decided_ym, violation, penalty) != (*other[:2], *other[3:]):
                cells.add((agency, decided_ym))
                decided.add(case_id)
    return {cell for cell in cells if cell[1]}, decided


def rows_now(case_ids):
    """{case id: (agency, power item, handled_ym, decided_ym, violation, penalty)}: what the
    cases say now, in the form of rows_of (a case that no longer counts is absent)."""
    if not case_ids:
        return {}
    rows = _rows(counted_cases().filter(pk__in=list(case_ids))).values_list(*SOURCE_NAMES)
    return {row[0]: (row[1], row[2], _int(row[3]), _int(row[4]), bool(row[5]), bool(row[6])) for row in rows}


def _int(value):
    return None if value is None else int(value)  # EXTRACT gives numeric on PostgreSQL


def replace(case_ids, rows):
    """Replace the facts of `case_ids` with `rows` (a rows_now answer: exactly what the caller
    compared, so the stored facts and the cells computed from the comparison agree even if a
    case changes meanwhile; that change marks it dirty for the next refresh)."""
    if not case_ids:
        return 0
    ids = list(case_ids)
    execute(f"DELETE FROM {table(CaseFact)} WHERE case_id IN ({placeholders(ids)})", ids)
    return bulk_write(CaseFact, [(case, *row) for case, row in rows.items()], COLUMNS)
