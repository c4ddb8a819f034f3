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

from .sql import execute, placeholders, table

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
    qn = connection.ops.quote_name
    target = ", ".join(qn(CaseFact._meta.get_field(c).column) for c in COLUMNS)
    source = "q.a_case, q.a_agency, q.a_item, q.a_handled, q.a_decided, q.a_violation, q.a_penalty"
    return execute(f"INSERT INTO {table(CaseFact)} ({target}) SELECT {source} FROM ({sql}) q", params)


def _upsert(cases, ordered=True):
    """Insert the facts of `cases`, or update a stored fact where it differs (ON CONFLICT on the
    case: PostgreSQL and SQLite ≥ 3.24 alike; IS DISTINCT FROM treats NULL months as values)."""
    sql, params = _rows(cases).query.sql_with_params()
    qn = connection.ops.quote_name
    columns = [qn(CaseFact._meta.get_field(c).column) for c in COLUMNS]
    source = "q.a_case, q.a_agency, q.a_item, q.a_handled, q.a_decided, q.a_violation, q.a_penalty"
    facts = table(CaseFact)
    updated = columns[1:]
    sets = ", ".join(f"{c} = excluded.{c}" for c in updated)
    differs = " OR ".join(f"{facts}.{c} IS DISTINCT FROM excluded.{c}" for c in updated)
    # Only the rows that are new or differ reach the INSERT (one hash join with the stored facts,
    # instead of a conflict probe per row: the nightly recompute finds almost every fact
    # unchanged), in (agency, month) order, so the facts' (agency, month) indexes are filled
    # page by page rather than at random (`ordered`; a bulk load builds them afterwards).
    stored = " OR ".join(f"f.{c} IS DISTINCT FROM q.{name}" for c, name in zip(updated, SOURCE_NAMES[1:], strict=True))
    return execute(
        f"INSERT INTO {facts} ({', '.join(columns)}) SELECT {source} FROM ({sql}) q "
        f"LEFT JOIN {facts} f ON f.{columns[0]} = q.a_case WHERE f.{columns[0]} IS NULL OR {stored} "
        f"{'ORDER BY q.a_agency, q.a_handled ' if ordered else ''}"
        f"ON CONFLICT ({columns[0]}) DO UPDATE SET {sets} WHERE {differs}",
        params,
    )


def rebuild_for_year(agencies, year):
    """Rewrite the facts of every case of `agencies` (an AgencySet) that counts in `year` by its
    own dates or by its stored fact (so a case whose dates moved out of the year is rewritten
    too, not lost). Returns the number of facts of the year's cases."""
    lo, hi = year * 100 + 1, year * 100 + 12
    where, params = agencies.sql("agency_id")
    in_year = "((handled_ym BETWEEN %s AND %s) OR (decided_ym BETWEEN %s AND %s))"
    # Stored facts of the year whose case no longer counts in it for the same agency (its dates
    # moved out of the year, it was deleted or no longer counts, it moved to another agency) go,
    # in one anti-join; those whose case still counts for an agency of the set are written again
    # below with what the case says now. A stored fact that did not change is not touched: the
    # nightly recompute rewrites only what moved since the last one.
    facts = table(CaseFact)
    gone = [
        row[0]
        for row in _fetch(
            f"DELETE FROM {facts} WHERE {where} AND {in_year} AND NOT EXISTS ("
            f"SELECT 1 FROM {table(CaseModel)} c WHERE c.id = {facts}.case_id AND c.agency_id = {facts}.agency_id "
            f"AND (c.filed_on BETWEEN %s AND %s OR c.decided_on BETWEEN %s AND %s)) RETURNING case_id",
            [*params, lo, hi, lo, hi, *_year_bounds(year)],
        )
    ]
    source = (
        counted_cases()
        .filter(**agencies.queryset_filter())
        .filter(Q(filed_on__year=year) | Q(decided_on__year=year) | Q(pk__in=gone))
    )
    count = source.count()
    if _bulk_load(count, where, params, in_year, [lo, hi, lo, hi]):
        with _secondary_indexes_dropped():
            _upsert(source, ordered=False)
    else:
        _upsert(source)
    return count


# Writing facts for more than this share of the table's rows is a bulk load (PostgreSQL): the
# (agency, month) indexes are dropped and built again afterwards, which is about a third cheaper
# than maintaining them row by row (600,000 facts: 2.2 s against 3.2 s). The first recompute
# and the rebuild after a crash are bulk loads; the nightly recompute, whose facts are stored
# already and which writes only what changed, is not.
BULK_SHARE = 0.5


def _bulk_load(count, where, params, in_year, bounds):
    """Whether the year's `count` facts, less those stored already, are a bulk load."""
    if connection.vendor != "postgresql":
        return False
    ((table_rows,),) = _fetch("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [CaseFact._meta.db_table])
    ((stored,),) = _fetch(f"SELECT COUNT(*) FROM {table(CaseFact)} WHERE {where} AND {in_year}", [*params, *bounds])
    new = count - stored
    return table_rows < 0 or new > max(table_rows, stored) * BULK_SHARE  # -1: never counted (a new table)


@contextlib.contextmanager
def _secondary_indexes_dropped():
    """The facts' secondary indexes are dropped meanwhile and built again at the end (inside the
    computation's transaction: a failure rolls the drop back too)."""
    with connection.schema_editor() as editor:
        for index in CaseFact._meta.indexes:
            editor.remove_index(CaseFact, index)
    yield
    with connection.schema_editor() as editor:
        for index in CaseFact._meta.indexes:
            editor.add_index(CaseFact, index)


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


def rewrite(case_ids):
    """Replace the facts of `case_ids` with what the cases say now (a deleted case loses its fact)."""
    if not case_ids:
        return 0
    ids = list(case_ids)
    execute(f"DELETE FROM {table(CaseFact)} WHERE case_id IN ({placeholders(ids)})", ids)
    return _insert(counted_cases().filter(pk__in=ids))
