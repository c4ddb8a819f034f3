"""Analytics benchmark: a full recompute of the nine indicators next to DuckDB, and the
incremental update after 1,000 new events (issue 7).

`make bench-analytics BENCH_ARGS="--count 1000000"` (PostgreSQL is the target: set DATABASE_URL
and BENCH_DB; run it under `flock /work/wt/bench.lock`). It builds a fresh database, seeds the demo
jurisdiction with `--agencies` generated agencies, generates `--count` cases with
analytics.demo (bulk inserts: parties, handlers, decisions, remedies, complaints, evaluations)
over 2025 and 2026, and then, in the same run:

1. times the full recompute of every indicator for every agency, region and period of both years
   (`analytics.compute.refresh.full`: case facts, cells, values, repeat parties, risks) twice:
   the first build, with every derived table emptied, and the nightly recompute over what the
   first stored (every figure recomputed from the cases again; only what differs is written);
   the nine indicators (facts, cells, values) are reported apart from the repeat parties and
   risks, which are not indicators and which DuckDB does not compute;
2. exports the source tables the indicators read to Parquet and times DuckDB computing the same
   numerators and denominators for the same scopes and periods with one SQL script (best of
   three), and checks that both agree;
3. `--repeat` times: turns `--events` undecided cases into decisions (an event each, as the
   workflow would), marks them dirty as the receiver does, and times the incremental refresh
   (outside any transaction, as the Celery task runs it); the best is reported.

The benchmark database is dropped at the end (PostgreSQL).
"""

import argparse
import datetime
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.core import fresh_database  # noqa: E402

YEARS = (2025, 2026)
END = datetime.date(2026, 11, 30)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000, help="generated cases (default 1,000,000)")
    parser.add_argument("--agencies", type=int, default=300, help="generated agencies (seed_demo --size)")
    parser.add_argument("--events", type=int, default=1000, help="new events for the incremental update")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--repeat", type=int, default=3, help="incremental refreshes measured (the best is reported)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the database a previous run kept (--keep) instead of generating a new one",
    )
    args = parser.parse_args()

    if args.reuse:
        _reuse_database()
    else:
        fresh_database()
    from django.core.management import call_command
    from django.db import connection

    from analytics import demo
    from cases.models import Case

    if args.reuse:
        made, seed_seconds = Case.objects.count(), 0.0
    else:
        devnull = open(os.devnull, "w")
        call_command("seed_demo", size=args.agencies, stdout=devnull)
        start = time.perf_counter()
        made = demo.generate(args.count, lean=True, end=END)
        seed_seconds = time.perf_counter() - start
    _analyze()
    from analytics import sources
    from lawenforce.models import Agency

    complaints = sources.model(sources.COMPLAINTS).objects.count() if sources.available(sources.COMPLAINTS) else 0
    print(f"# Analytics benchmark ({connection.vendor}, {made:,} cases, {Agency.objects.count()} agencies)\n")
    print(
        f"Data: {Case.objects.count():,} cases, {Case.handlers.through.objects.count():,} handler rows, "
        f"{complaints:,} complaints; generated in {seed_seconds:.0f} s.\n"
    )

    _empty_derived()
    first_seconds, first_steps = _full()  # the first build: every derived table empty
    again_seconds, again_steps = _full()  # the nightly recompute: the same, over what is stored
    with tempfile.TemporaryDirectory(prefix="analytics-parquet-") as folder:
        export_seconds = _export(folder)
        duck_seconds, duck = _duckdb(folder)
    mismatches, compared = _compare(duck)
    incremental = [_incremental(args.events) for _ in range(args.repeat)]
    incremental = [r for r in incremental if r[2] is not None]  # a run with nothing left to decide
    if not incremental:
        raise SystemExit(f"no cases under investigation left to decide ({args.events} needed)")
    mark_seconds, refresh_seconds, run = min(incremental, key=lambda r: r[1])

    print(f"| what, seconds ({len(YEARS)} years, PostgreSQL) | first build | nightly recompute |")
    print("|---|---:|---:|")
    nine = {}
    for name, steps in (("first", first_steps), ("again", again_steps)):
        nine[name] = sum(seconds for label, seconds in steps if label not in EXTRA_STEPS)
    print(
        f"| **the nine indicators** (facts, cells, agency and region values) | {nine['first']:.2f} | {nine['again']:.2f} |"
    )
    for (label, first), (_label, again) in zip(first_steps, again_steps, strict=True):
        if label not in EXTRA_STEPS:
            print(f"| &nbsp;&nbsp;{label} | {first:.2f} | {again:.2f} |")
    for (label, first), (_label, again) in zip(first_steps, again_steps, strict=True):
        if label in EXTRA_STEPS:
            print(f"| {label} (not an indicator; DuckDB does not compute it) | {first:.2f} | {again:.2f} |")
    print(f"| the whole refresh run | {first_seconds:.2f} | {again_seconds:.2f} |")
    print(f"| the nine indicators' numerators and denominators in DuckDB over Parquet | {duck_seconds:.2f} | |")
    print(f"| (export of the source tables to Parquet, not counted) | {export_seconds:.2f} | |")
    print(
        f"| **ratio, nine indicators / DuckDB** (goal ≤ 3) | **{nine['first'] / duck_seconds:.1f}×** "
        f"| **{nine['again'] / duck_seconds:.1f}×** |"
    )
    print(f"| ratio, whole run / DuckDB | {first_seconds / duck_seconds:.1f}× | {again_seconds / duck_seconds:.1f}× |")
    print()
    print("| incremental, after 1,000 new events | seconds |")
    print("|---|---:|")
    print(f"| mark {args.events} changed cases dirty (the receivers' work) | {mark_seconds:.3f} |")
    print(
        f"| **refresh** (goal < 1 s; best of {len(incremental)}: "
        f"{', '.join(f'{r[1]:.3f}' for r in incremental)}) | **{refresh_seconds:.3f}** |"
    )
    print(
        f"\nDuckDB and PostgreSQL agree on {compared - mismatches:,} of {compared:,} "
        f"(indicator, scope, period) numerator/denominator pairs."
    )
    print(f"Incremental run: {run.cases} cases, {run.cells} cells, {run.values} values rewritten.")
    if not args.keep:
        _drop()


def _reuse_database():
    """Configure Django on the kept benchmark database ($BENCH_DB on DATABASE_URL's server)."""
    from benchmarks.core import configure

    url = os.environ["DATABASE_URL"]
    configure(url.rsplit("/", 1)[0] + "/" + os.environ.get("BENCH_DB", "lawenforce_bench"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # e.g. indexes added since the data was generated


def _analyze():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


EXTRA_STEPS = ("repeat parties and risks",)


def _empty_derived():
    """Empty every table the refresh derives, so that the first full recompute builds them all."""
    from django.db import connection

    from analytics.models import CaseFact, Cell, IndicatorValue, OfficerMonth, RepeatParty, RiskItem

    models = (CaseFact, Cell, OfficerMonth, RepeatParty, IndicatorValue, RiskItem)
    if connection.vendor == "postgresql":  # as on a new database: no dead rows left behind
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models))
        return
    for model in models:
        model.objects.all().delete()


def _full():
    from analytics.compute import refresh
    from lawenforce.models import Region

    province = Region.objects.get(code="370000")
    steps, totals = {}, {}
    marks = {}

    def progress(label, done):
        key = "cells" if label == "统计单元" else label
        if not done:
            marks[key] = time.perf_counter()
        else:
            totals[key] = totals.get(key, 0) + time.perf_counter() - marks[key]

    start = time.perf_counter()
    refresh.full(province, YEARS, progress=progress)  # both years in one recompute, as the command does
    elapsed = time.perf_counter() - start
    names = {"案件事实": "case facts", "cells": "cells, one pass per source"}
    names.update({"执法主体指标": "agency values", "区划逐级汇总": "region values"})
    names["多次违法与风险"] = "repeat parties and risks"
    for key, label in names.items():
        steps[label] = totals.get(key, 0)
    return elapsed, list(steps.items())


# --- DuckDB over Parquet -------------------------------------------------------------------


def _tables():
    """name → (SQL on the application database) of what the indicators read."""
    from analytics import sources

    tables = {
        "cases": "SELECT id, agency_id, power_item_id, filed_on, decided_on, decision_kind FROM cases_case "
        "WHERE filed_on IS NOT NULL OR decided_on IS NOT NULL",
        "handlers": "SELECT case_id, officer_id FROM cases_case_handlers",
        "remedies": "SELECT case_id, overturned, outcome_on FROM cases_remedy WHERE outcome <> '' AND outcome_on IS NOT NULL",
        "certs": "SELECT c.officer_id, o.agency_id, c.valid_from, c.valid_to FROM lawenforce_certificate c "
        "JOIN lawenforce_officer o ON o.id = c.officer_id WHERE o.active AND NOT o.is_supervisor "
        "AND c.status IN ('valid', 'expired')",
        "agencies": "SELECT a.id, r.path FROM lawenforce_agency a JOIN lawenforce_region r ON r.id = a.region_id",
        "regions": "SELECT id, path FROM lawenforce_region",
        "held": "SELECT h.agency_id, h.poweritem_id AS item_id FROM lawenforce_poweritem_agencies h "
        "JOIN lawenforce_poweritem p ON p.id = h.poweritem_id WHERE p.action_category = 'penalty'",
        "itemprov": "SELECT x.poweritem_id AS item_id, x.legalprovision_id AS provision_id "
        "FROM lawenforce_poweritem_provisions x JOIN lawenforce_poweritem p ON p.id = x.poweritem_id "
        "WHERE p.action_category = 'penalty'",
    }
    if sources.available(sources.COMPLAINTS):
        tables["complaints"] = (
            "SELECT agency_id, power_item_id, (received_at AT TIME ZONE 'Asia/Shanghai')::date AS received_on, "
            "accepted_on, state, case_id FROM disclosure_complaint WHERE agency_id IS NOT NULL"
        )
    if sources.available(sources.EVALUATIONS):
        tables["evaluations"] = (
            "SELECT case_id, passed, (finalized_at AT TIME ZONE 'Asia/Shanghai')::date AS finalized_on "
            "FROM supervision_dossierevaluation WHERE passed IS NOT NULL AND finalized_at IS NOT NULL"
        )
    return tables


def _export(folder):
    """Each source table to Parquet (through pandas; DuckDB writes the files)."""
    import duckdb
    import pandas as pd
    from django.db import connection

    start = time.perf_counter()
    duck = duckdb.connect()
    for name, sql in _tables().items():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            frame = pd.DataFrame(cursor.fetchall(), columns=[c[0] for c in cursor.description])
        duck.register("frame", frame)
        duck.execute(f"COPY (SELECT * FROM frame) TO '{folder}/{name}.parquet' (FORMAT parquet)")
        duck.unregister("frame")
    periods = _periods()
    duck.register("frame", periods)
    duck.execute(f"COPY (SELECT * FROM frame) TO '{folder}/periods.parquet' (FORMAT parquet)")
    duck.close()
    return time.perf_counter() - start


def _periods():
    import pandas as pd

    from analytics.periods import periods_of_year

    rows = [(p.kind, p.year, p.number, p.start, p.end, p.stock_day()) for year in YEARS for p in periods_of_year(year)]
    return pd.DataFrame(rows, columns=["pk", "year", "number", "start", "stop", "stock"])


DUCK_SQL = """
CREATE TEMP TABLE sm AS
  SELECT a.id AS agency, 'agency' AS sk, a.id AS sid FROM agencies a
  UNION ALL SELECT a.id, 'region', g.id FROM agencies a JOIN regions g ON starts_with(a.path, g.path);
CREATE TEMP TABLE hc AS
  SELECT c.id, c.agency_id, c.power_item_id, p.pk, p.year, p.number FROM cases c
  JOIN periods p ON coalesce(c.filed_on, c.decided_on) BETWEEN p.start AND p.stop;
CREATE TEMP TABLE dc AS
  SELECT c.id, c.agency_id, c.power_item_id, c.decision_kind, p.pk, p.year, p.number FROM cases c
  JOIN periods p ON c.decided_on BETWEEN p.start AND p.stop;
CREATE TEMP TABLE certified AS
  SELECT DISTINCT p.pk, p.year, p.number, c.officer_id, c.agency_id FROM certs c
  JOIN periods p ON c.valid_from <= p.stock AND c.valid_to >= p.stock;
CREATE TEMP TABLE busy AS
  SELECT DISTINCT hc.pk, hc.year, hc.number, h.officer_id FROM hc JOIN handlers h ON h.case_id = hc.id;
CREATE TEMP TABLE result AS
SELECT 'cases_per_officer' AS indicator, k.sk, k.sid, k.pk, k.year, k.number,
       coalesce(n.num, 0) AS num, coalesce(d.den, 0) AS den
FROM (SELECT sk, sid, pk, year, number FROM hc JOIN sm ON sm.agency = hc.agency_id
      UNION SELECT sk, sid, pk, year, number FROM certified c JOIN sm ON sm.agency = c.agency_id) k
LEFT JOIN (SELECT sk, sid, pk, year, number, count(*) AS num FROM hc JOIN sm ON sm.agency = hc.agency_id GROUP BY ALL) n
  USING (sk, sid, pk, year, number)
LEFT JOIN (SELECT sk, sid, pk, year, number, count(*) AS den FROM certified c JOIN sm ON sm.agency = c.agency_id GROUP BY ALL) d
  USING (sk, sid, pk, year, number)
UNION ALL
SELECT 'officer_engagement', sk, sid, c.pk, c.year, c.number,
       count(b.officer_id), count(*)
FROM certified c JOIN sm ON sm.agency = c.agency_id
LEFT JOIN busy b ON b.officer_id = c.officer_id AND b.pk = c.pk AND b.year = c.year AND b.number = c.number
GROUP BY ALL
UNION ALL
SELECT 'violation_count', sk, sid, pk, year, number, count(*), NULL FROM dc JOIN sm ON sm.agency = dc.agency_id
WHERE decision_kind IN ('penalty', 'no_penalty_minor', 'no_penalty_first', 'no_penalty_no_fault', 'transfer') GROUP BY ALL
UNION ALL
SELECT 'violation_type_rate', t.sk, t.sid, t.pk, t.year, t.number, coalesce(top.n, 0), t.total FROM
  (SELECT sk, sid, pk, year, number, count(*) AS total FROM dc JOIN sm ON sm.agency = dc.agency_id
   WHERE decision_kind IN ('penalty', 'no_penalty_minor', 'no_penalty_first', 'no_penalty_no_fault', 'transfer') GROUP BY ALL) t
LEFT JOIN (SELECT sk, sid, pk, year, number, max(n) AS n FROM
   (SELECT sk, sid, pk, year, number, power_item_id, count(*) AS n FROM dc JOIN sm ON sm.agency = dc.agency_id
    WHERE power_item_id IS NOT NULL AND decision_kind IN ('penalty', 'no_penalty_minor', 'no_penalty_first', 'no_penalty_no_fault', 'transfer')
    GROUP BY ALL) GROUP BY ALL) top USING (sk, sid, pk, year, number)
UNION ALL
SELECT 'provision_usage', a.sk, a.sid, p.pk, p.year, p.number, count(u.provision_id), count(*) FROM
  (SELECT DISTINCT sk, sid, ip.provision_id FROM held h JOIN itemprov ip ON ip.item_id = h.item_id JOIN sm ON sm.agency = h.agency_id) a
CROSS JOIN periods p
LEFT JOIN (SELECT DISTINCT sk, sid, pk, year, number, ip.provision_id FROM dc JOIN itemprov ip ON ip.item_id = dc.power_item_id
           JOIN sm ON sm.agency = dc.agency_id WHERE decision_kind = 'penalty') u
  ON u.sk = a.sk AND u.sid = a.sid AND u.provision_id = a.provision_id AND u.pk = p.pk AND u.year = p.year AND u.number = p.number
GROUP BY ALL
UNION ALL
SELECT 'remedy_loss_rate', sk, sid, p.pk, p.year, p.number, count(*) FILTER (WHERE r.overturned), count(*)
FROM remedies r JOIN cases c ON c.id = r.case_id JOIN periods p ON r.outcome_on BETWEEN p.start AND p.stop
JOIN sm ON sm.agency = c.agency_id GROUP BY ALL
"""

DUCK_COMPLAINTS = """
INSERT INTO result
SELECT 'complaint_case_rate', sk, sid, p.pk, p.year, p.number, count(*) FILTER (WHERE c.decided_on IS NOT NULL), count(*)
FROM complaints k LEFT JOIN cases c ON c.id = k.case_id JOIN periods p ON k.received_on BETWEEN p.start AND p.stop
JOIN sm ON sm.agency = k.agency_id WHERE k.accepted_on IS NOT NULL AND k.state NOT IN ('rejected', 'transferred') GROUP BY ALL;
INSERT INTO result
SELECT 'focus_match', coalesce(h.sk, q.sk), coalesce(h.sid, q.sid), coalesce(h.pk, q.pk), coalesce(h.year, q.year),
       coalesce(h.number, q.number), coalesce(h.n, 0), coalesce(q.n, 0) FROM
  (SELECT sk, sid, pk, year, number, count(*) AS n FROM hc JOIN sm ON sm.agency = hc.agency_id
   WHERE power_item_id IS NOT NULL GROUP BY ALL) h
FULL JOIN
  (SELECT sk, sid, p.pk, p.year, p.number, count(*) AS n FROM complaints k JOIN periods p ON k.received_on BETWEEN p.start AND p.stop
   JOIN sm ON sm.agency = k.agency_id WHERE k.power_item_id IS NOT NULL GROUP BY ALL) q
USING (sk, sid, pk, year, number);
"""

DUCK_EVALUATIONS = """
INSERT INTO result
SELECT 'evaluation_pass_rate', sk, sid, p.pk, p.year, p.number, count(*) FILTER (WHERE e.passed), count(*)
FROM evaluations e JOIN cases c ON c.id = e.case_id JOIN periods p ON e.finalized_on BETWEEN p.start AND p.stop
JOIN sm ON sm.agency = c.agency_id GROUP BY ALL;
"""


def _duckdb(folder):
    """DuckDB computes every numerator and denominator from the Parquet files; returns (seconds,
    frame), the best of three runs."""
    import duckdb

    best = None
    for _ in range(3):
        duck = duckdb.connect()
        names = [*_tables(), "periods"]
        start = time.perf_counter()
        for name in names:
            duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder}/{name}.parquet')")
        duck.execute(DUCK_SQL)
        if "complaints" in names:
            duck.execute(DUCK_COMPLAINTS)
        if "evaluations" in names:
            duck.execute(DUCK_EVALUATIONS)
        result = duck.execute("SELECT * FROM result").df()
        elapsed = time.perf_counter() - start
        duck.close()
        if best is None or elapsed < best[0]:
            best = (elapsed, result)
    return best


def _key(indicator, sk, sid, pk, year, number):
    return (indicator, sk, int(sid), pk, int(year), int(number))


def _compare(duck):
    """Numerator/denominator pairs that differ between DuckDB and the stored values (rows where
    both are zero or empty are left out on both sides: one writes them, the other does not)."""
    import pandas as pd

    from analytics.models import IndicatorValue

    def empty(num, den):
        return num in (0, None) and den in (0, None)

    def clean(x):
        return None if x is None or pd.isna(x) else int(x)

    theirs = {}
    for row in duck.itertuples(index=False):
        num, den = clean(row.num), clean(row.den)
        if not empty(num, den):
            theirs[_key(row.indicator, row.sk, row.sid, row.pk, row.year, row.number)] = (num, den)
    ours = {}
    stored = IndicatorValue.objects.filter(year__in=YEARS).values_list(
        "indicator", "scope_kind", "agency_id", "region_id", "period_kind", "year", "number", "numerator", "denominator"
    )
    for code, sk, agency, region, pk, year, number, num, den in stored.iterator(chunk_size=20000):
        if not empty(num, den):
            ours[_key(code, sk, agency or region, pk, year, number)] = (num, den)
    keys = set(theirs) | set(ours)
    mismatches = [k for k in keys if theirs.get(k) != ours.get(k)]
    for key in sorted(mismatches)[:10]:
        print("mismatch", key, "duckdb", theirs.get(key), "postgres", ours.get(key))
    return len(mismatches), len(keys)


# --- incremental ---------------------------------------------------------------------------


def _incremental(events):
    """`events` undecided cases get a decision today (one CaseEvent each); mark and refresh."""
    from django.db import transaction
    from django.utils import timezone

    from analytics import dirty
    from analytics.compute import refresh
    from analytics.models import DirtyCase, DirtyCell
    from cases.models import Case, CaseEvent, CaseState, DecisionKind

    DirtyCase.objects.all().delete()
    DirtyCell.objects.all().delete()
    day = END
    pending = list(
        Case.objects.filter(state=CaseState.INVESTIGATING, filed_on__isnull=False)
        .order_by("?")
        .values_list("pk", "registered_by_id")[:events]
    )
    if len(pending) < events:
        return 0.0, 0.0, None
    with transaction.atomic():
        ids = [pk for pk, _o in pending]
        Case.objects.filter(pk__in=ids).update(
            state=CaseState.DECIDED, decided_on=day, decision_kind=DecisionKind.PENALTY, updated_at=timezone.now()
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(case_id=pk, actor_id=officer, action="作出决定", from_state="investigating", to_state="decided")
            for pk, officer in pending
        )
    start = time.perf_counter()
    dirty.mark_cases(ids)
    mark = time.perf_counter() - start
    start = time.perf_counter()
    run = refresh.incremental()
    return mark, time.perf_counter() - start, run


def _drop():
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = connection.settings_dict["NAME"]
    connection.close()
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"\n(benchmark database {name} dropped)")


if __name__ == "__main__":
    main()
