"""Repeat offenders and problem enterprises: parties with two or more decisions that
established a violation, identified by USCC (organisations, individual businesses) or by a
natural person's ID number. One set-based INSERT … SELECT over the parties joined to the case
facts: a GROUP BY … HAVING finds the repeat identifiers, a second GROUP BY counts them per
agency and year."""

from analytics.models import RepeatParty
from cases.models import Case, Party

from .sql import execute, placeholders, table

REPEAT_AT = 2  # decisions against the same party that make it a repeat offender
IDENT = "CASE WHEN p.uscc <> '' THEN p.uscc ELSE p.id_number END"


def _insert(where, params, v_where="", v_params=()):
    from analytics.models import CaseFact

    facts, parties, cases = table(CaseFact), table(Party), table(Case)
    sql = (
        f"INSERT INTO {table(RepeatParty)} (identifier, is_person, name, party_kind, agency_id, year, "
        f"decisions, penalties, fines, last_decided_on) "
        # v: one row per (identifier, case), by hash aggregation; rep: identifiers with several cases.
        f"WITH v AS (SELECT {IDENT} AS ident, p.case_id, MAX(p.kind) AS kind, MAX(p.name) AS name FROM {parties} p "
        f"JOIN {facts} f ON f.case_id = p.case_id WHERE f.violation AND (p.uscc <> '' OR p.id_number <> '') {v_where} "
        f"GROUP BY {IDENT}, p.case_id), "
        f"rep AS (SELECT ident FROM v GROUP BY ident HAVING COUNT(*) >= {REPEAT_AT}) "
        f"SELECT v.ident, MAX(v.kind) = 'natural_person', MAX(v.name), MAX(v.kind), f.agency_id, f.decided_ym / 100, "
        f"COUNT(*), SUM(CASE WHEN f.penalty THEN 1 ELSE 0 END), "
        f"COALESCE(SUM(c.fine_amount), 0), MAX(c.decided_on) "
        f"FROM v JOIN rep ON rep.ident = v.ident JOIN {facts} f ON f.case_id = v.case_id "
        f"JOIN {cases} c ON c.id = v.case_id WHERE {where} "
        f"GROUP BY v.ident, f.agency_id, f.decided_ym / 100"
    )
    return execute(sql, [*v_params, *params])


def rebuild(agencies, year):
    """The repeat parties' rows of `year` for the agencies of an AgencySet."""
    RepeatParty.objects.filter(year=year, **agencies.queryset_filter()).delete()
    where, params = agencies.sql("f.agency_id")
    return _insert(f"{where} AND f.decided_ym BETWEEN %s AND %s", [*params, year * 100 + 1, year * 100 + 12])


def refresh_for_cases(case_ids):
    """The rows of the parties of `case_ids` (every agency and year), after those cases changed."""
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
    RepeatParty.objects.filter(identifier__in=idents).delete()
    marks = placeholders(idents)
    # Only those parties: the party table has no index on the identifiers, one scan of it.
    return _insert("1 = 1", [], f"AND (p.uscc IN ({marks}) OR p.id_number IN ({marks}))", [*idents, *idents])
