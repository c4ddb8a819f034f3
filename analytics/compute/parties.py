"""Repeat offenders and problem enterprises: parties with two or more decisions that
established a violation, identified by USCC (organisations, individual businesses) or by a
natural person's ID number. One set-based query over the parties joined to the case facts: a
GROUP BY … HAVING finds the repeat identifiers, a second GROUP BY counts them per agency and
year. The full recompute inserts its result directly (INSERT … SELECT); the incremental refresh
writes only the rows that differ from the stored ones."""

import datetime
from decimal import Decimal

from django.db import connection

from analytics.indicators import PENALTY_KIND, VIOLATION_KINDS
from analytics.models import RepeatParty
from cases.models import Case, Party

from .sql import bulk_write, execute, fetch, in_clause, insert_aggregate, table

REPEAT_AT = 2  # decisions against the same party that make it a repeat offender
CENT = Decimal("0.01")
IDENT = "CASE WHEN p.uscc <> '' THEN p.uscc ELSE p.id_number END"


COLUMNS = [
    "identifier",
    "is_person",
    "name",
    "party_kind",
    "agency",
    "year",
    "decisions",
    "penalties",
    "fines",
    "last_decided_on",
]


def _select(where, params, v_where="", v_params=()):
    """(SQL, params) of the repeat-party rows, in COLUMNS order. `where` may use v.agency_id and
    v.decided_year."""
    parties, cases = table(Party), table(Case)
    year_sql, year_params = connection.ops.date_extract_sql("year", "c.decided_on", ())
    kinds = ", ".join(f"'{kind}'" for kind in VIOLATION_KINDS)  # constants of analytics.indicators
    sql = (
        # v: one row per (identifier, case) of the decisions that established a violation, read
        # from the cases themselves (the case facts say the same: one join fewer per party row),
        # by hash aggregation; rep: identifiers with several such cases.
        f"WITH v AS (SELECT {IDENT} AS ident, p.case_id, MAX(p.kind) AS kind, MAX(p.name) AS name, "
        f"MAX(c.agency_id) AS agency_id, MAX(CAST({year_sql} AS INTEGER)) AS decided_year, "
        f"MAX(CASE WHEN c.decision_kind = '{PENALTY_KIND}' THEN 1 ELSE 0 END) AS penalty, "
        f"MAX(c.fine_amount) AS fine, MAX(c.decided_on) AS decided_on FROM {parties} p "
        f"JOIN {cases} c ON c.id = p.case_id WHERE c.decided_on IS NOT NULL AND c.decision_kind IN ({kinds}) "
        f"AND (p.uscc <> '' OR p.id_number <> '') {v_where} "
        f"GROUP BY {IDENT}, p.case_id), "
        f"rep AS (SELECT ident FROM v GROUP BY ident HAVING COUNT(*) >= {REPEAT_AT}) "
        f"SELECT v.ident, MAX(v.kind) = 'natural_person', MAX(v.name), MAX(v.kind), v.agency_id, v.decided_year, "
        f"COUNT(*), SUM(v.penalty), COALESCE(SUM(v.fine), 0), MAX(v.decided_on) "
        f"FROM v JOIN rep ON rep.ident = v.ident WHERE {where} "
        f"GROUP BY v.ident, v.agency_id, v.decided_year"
    )
    return sql, [*year_params, *v_params, *params]


def _insert(where, params, v_where="", v_params=()):
    sql, params = _select(where, params, v_where, v_params)
    return insert_aggregate(RepeatParty, COLUMNS, sql, params)


def rebuild(agencies, year):
    """The repeat parties' rows of `year` for the agencies of an AgencySet."""
    RepeatParty.objects.filter(year=year, **agencies.queryset_filter()).delete()
    where, params = agencies.sql("v.agency_id")
    return _insert(f"{where} AND v.decided_year = %s", [*params, year])


def refresh_for_cases(case_ids):
    """The rows of the parties of `case_ids` (every agency and year), after those cases changed.
    Only rows that differ are written: the parties' rows are computed (the party indexes find
    their other cases), compared with the stored ones, and the stale ones replaced."""
    if not case_ids:
        return 0
    idents = {
        uscc or id_number
        for uscc, id_number in Party.objects.filter(case_id__in=case_ids).values_list("uscc", "id_number")
        if uscc or id_number
    }
    if not idents:
        return 0
    idents = sorted(idents)
    uscc_sql, uscc_params = in_clause("p.uscc", idents)
    id_sql, id_params = in_clause("p.id_number", idents)
    sql, params = _select("1 = 1", [], f"AND ({uscc_sql} OR {id_sql})", [*uscc_params, *id_params])
    if connection.vendor == "postgresql":
        return _replace_differing(sql, params, idents)
    # SQLite: compared in Python; its text dates and integer booleans go through _payload.
    fresh = {(row[0], row[4], row[5]): _payload(*row[1:4], *row[6:]) for row in fetch(sql, params)}
    stale, kept = [], set()
    ident_sql, ident_params = in_clause("identifier", idents)
    stored = fetch(
        f"SELECT id, identifier, agency_id, year, is_person, name, party_kind, decisions, penalties, fines, "
        f"last_decided_on FROM {table(RepeatParty)} WHERE {ident_sql}",
        ident_params,
    )
    for pk, ident, agency, year, *payload in stored:
        key = (ident, agency, year)
        if fresh.get(key) == _payload(*payload):
            kept.add(key)
        else:
            stale.append(pk)
    for start in range(0, len(stale), 10000):
        chunk_sql, chunk_params = in_clause("id", stale[start : start + 10000])
        execute(f"DELETE FROM {table(RepeatParty)} WHERE {chunk_sql}", chunk_params)
    rows = [(*key[:1], *value[:3], key[1], key[2], *value[3:]) for key, value in fresh.items() if key not in kept]
    rows = [(*row[:-2], Decimal(row[-2]), datetime.date.fromisoformat(row[-1])) for row in rows]
    return bulk_write(RepeatParty, rows, COLUMNS)


KEY = ("identifier", "agency", "year")


def _replace_differing(sql, params, idents):
    """PostgreSQL: the same comparison in the database. The parties' rows are computed into a
    temporary table (a parallel query), the stored rows of those identifiers that no computed row
    equals are deleted, and the computed rows no stored row equals are inserted. A thousand
    decisions of parties that come back often recompute some 30,000 rows: compared in Python
    they had to travel both ways (0.74 s), in the database they do not. Returns rows inserted."""
    qn = connection.ops.quote_name
    scratch, parties = qn("analytics_fresh_parties"), table(RepeatParty)
    fields = [RepeatParty._meta.get_field(c) for c in COLUMNS]
    names = [qn(f"c{i}") for i in range(len(fields))]
    execute(f"CREATE TEMPORARY TABLE {scratch} ({', '.join(names)}) ON COMMIT DROP AS {sql}", params)
    try:
        execute(f"ANALYZE {scratch}")  # tens of milliseconds; keeps the joins below off nested loops
        # The key (identifier, agency, year) is never null: compared with = so that the planner
        # can hash-join on it; the rest may be (a name), hence IS NOT DISTINCT FROM.
        equal = " AND ".join(
            f"f.{name} {'=' if field.name in KEY else 'IS NOT DISTINCT FROM'} r.{qn(field.column)}"
            for name, field in zip(names, fields, strict=True)
        )
        ident_sql, ident_params = in_clause("r.identifier", idents)
        execute(
            f"DELETE FROM {parties} r WHERE {ident_sql} AND NOT EXISTS (SELECT 1 FROM {scratch} f WHERE {equal})",
            ident_params,
        )
        columns = ", ".join(qn(field.column) for field in fields)
        return execute(
            f"INSERT INTO {parties} ({columns}) SELECT {', '.join(names)} FROM {scratch} f "
            f"WHERE NOT EXISTS (SELECT 1 FROM {parties} r WHERE {ident_sql} AND {equal})",
            ident_params,
        )
    finally:
        execute(f"DROP TABLE {scratch}")


def _payload(is_person, name, kind, decisions, penalties, fines, last):
    """A repeat-party row's values in one form whatever the driver returned (SQLite gives dates as
    text and booleans as integers), so that the stored and the recomputed rows compare equal."""
    return (
        bool(is_person),
        name,
        kind,
        int(decisions),
        int(penalties),
        str(Decimal(str(fines)).quantize(CENT)),
        str(last),
    )
