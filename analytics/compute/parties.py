"""Repeat offenders and problem enterprises: parties with two or more decisions that
established a violation, identified by USCC (organisations, individual businesses) or by a
natural person's ID number. One set-based query over the parties joined to the case facts: a
GROUP BY … HAVING finds the repeat identifiers, a second GROUP BY counts them per agency and
year. The full recompute inserts its result directly (INSERT … SELECT); the incremental refresh
writes only the rows that differ from the stored ones."""

from decimal import Decimal

from analytics.models import RepeatParty
from cases.models import Case, Party

from .sql import bulk_write, fetch, insert_aggregate, placeholders, table

REPEAT_AT = 2  # decisions against the same party that make it a repeat offender
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
    """(SQL, params) of the repeat-party rows, in COLUMNS order."""
    from analytics.models import CaseFact

    facts, parties, cases = table(CaseFact), table(Party), table(Case)
    sql = (
        # v: one row per (identifier, case) with the case's fact, by hash aggregation; rep:
        # identifiers with several cases. The fact and the case's fine and decision date travel in
        # v (one hash join each), so nothing is looked up row by row afterwards.
        f"WITH v AS (SELECT {IDENT} AS ident, p.case_id, MAX(p.kind) AS kind, MAX(p.name) AS name, "
        f"MAX(f.agency_id) AS agency_id, MAX(f.decided_ym) AS decided_ym, "
        f"MAX(CASE WHEN f.penalty THEN 1 ELSE 0 END) AS penalty, MAX(c.fine_amount) AS fine, "
        f"MAX(c.decided_on) AS decided_on FROM {parties} p "
        f"JOIN {facts} f ON f.case_id = p.case_id JOIN {cases} c ON c.id = p.case_id WHERE f.violation AND (p.uscc <> '' OR p.id_number <> '') {v_where} "
        f"GROUP BY {IDENT}, p.case_id), "
        f"rep AS (SELECT ident FROM v GROUP BY ident HAVING COUNT(*) >= {REPEAT_AT}) "
        f"SELECT v.ident, MAX(v.kind) = 'natural_person', MAX(v.name), MAX(v.kind), v.agency_id, v.decided_ym / 100, "
        f"COUNT(*), SUM(v.penalty), COALESCE(SUM(v.fine), 0), MAX(v.decided_on) "
        f"FROM v JOIN rep ON rep.ident = v.ident WHERE {where} "
        f"GROUP BY v.ident, v.agency_id, v.decided_ym / 100"
    )
    return sql, [*v_params, *params]


def _insert(where, params, v_where="", v_params=()):
    sql, params = _select(where, params, v_where, v_params)
    return insert_aggregate(RepeatParty, COLUMNS, sql, params)


def rebuild(agencies, year):
    """The repeat parties' rows of `year` for the agencies of an AgencySet."""
    RepeatParty.objects.filter(year=year, **agencies.queryset_filter()).delete()
    where, params = agencies.sql("v.agency_id")
    return _insert(f"{where} AND v.decided_ym BETWEEN %s AND %s", [*params, year * 100 + 1, year * 100 + 12])


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
    marks = placeholders(idents)
    sql, params = _select("1 = 1", [], f"AND (p.uscc IN ({marks}) OR p.id_number IN ({marks}))", [*idents, *idents])
    fresh = {}
    for ident, is_person, name, kind, agency, year, decisions, penalties, fines, last in fetch(sql, params):
        fresh[(ident, agency, year)] = (bool(is_person), name, kind, decisions, penalties, Decimal(str(fines)), last)
    stale, kept = [], set()
    stored = RepeatParty.objects.filter(identifier__in=idents).values_list(
        "pk",
        "identifier",
        "agency_id",
        "year",
        "is_person",
        "name",
        "party_kind",
        "decisions",
        "penalties",
        "fines",
        "last_decided_on",
    )
    for pk, ident, agency, year, *payload in stored:
        key = (ident, agency, year)
        if fresh.get(key) == tuple(payload):
            kept.add(key)
        else:
            stale.append(pk)
    RepeatParty.objects.filter(pk__in=stale).delete()
    rows = [(*key[:1], *value[:3], key[1], key[2], *value[3:]) for key, value in fresh.items() if key not in kept]
    return bulk_write(RepeatParty, rows, COLUMNS)
