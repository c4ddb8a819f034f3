"""Supervision benchmarks (issue 6): the scheduled rule sweep and the supervisor's dashboard.

`make bench-supervision` (PostgreSQL is the target: DATABASE_URL=postgres://…, the database is
$BENCH_DB or lawenforce_bench). Builds a fresh database, seeds the demo jurisdiction with
--agencies more agencies, generates cases in two steps (--small, then up to --count) with
supervision/volume.py, and at each size measures:

- the nightly sweep (every schedule rule over every case): the first run, which raises the
  alerts, and the steady state (the next night: nothing new), as cases checked per second and
  the number of SQL queries, which must be the same at both sizes;
- refreshing the dashboard figures (the Celery task), and GET /supervision/ as the city
  supervisor (济宁市司法局), server time and queries, over the cases of the last year.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.core import fresh_database  # noqa: E402


def _queries(fn):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # The query log keeps the last 9,000 queries (DEBUG): empty it, or the count reads 0 after
    # the bulk generation filled it.
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return seconds, len(ctx.captured_queries), result


def sweep():
    from supervision import engine
    from supervision.rules import Trigger, rules_for

    return engine.run(rules=rules_for(Trigger.SCHEDULE))


def measure(label, repeat):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from cases.models import Case
    from lawenforce.access import agencies_in_scope
    from supervision.dashboard import figures
    from supervision.models import Alert

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cases = Case.objects.count()
    first_s, first_q, report = _queries(sweep)
    steady_s, steady_q, _ = _queries(sweep)
    refresh_s, refresh_q, rows = _queries(figures.refresh)
    user = get_user_model().objects.get(username="supervisor")
    client = Client()
    client.force_login(user)
    times, queries = [], 0
    for _ in range(repeat):
        t, queries, response = _queries(lambda: client.get("/supervision/"))
        assert response.status_code == 200
        times.append(t * 1000)
    in_city = Case.objects.filter(agency__in=agencies_in_scope(user)).count()
    print(f"\n### {label}: {cases:,} cases ({connection.vendor}); {Alert.objects.count():,} alerts after the sweep\n")
    print("| what | seconds | cases/s | SQL queries |")
    print("|---|---:|---:|---:|")
    print(f"| sweep, first night (raises {report.raised:,} alerts) | {first_s:.1f} | {cases / first_s:,.0f} | {first_q} |")
    print(f"| sweep, steady state (next night) | {steady_s:.1f} | {cases / steady_s:,.0f} | {steady_q} |")
    print(f"| refresh dashboard figures ({rows:,} rows) | {refresh_s:.1f} | | {refresh_q} |")
    print(
        f"\nGET /supervision/ as the city supervisor ({in_city:,} cases in 济宁市 and below): "
        f"median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms, {queries} queries ({repeat} runs)."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    fresh_database()
    from django.core.management import call_command

    devnull = open(os.devnull, "w")
    call_command("seed_demo", size=args.agencies, stdout=devnull)
    from supervision import volume

    for size in (args.small, args.count):
        from cases.models import Case

        missing = size - Case.objects.count()
        start = time.perf_counter()
        volume.generate(missing, seed=size)
        print(f"\nGenerated {missing:,} cases in {time.perf_counter() - start:.0f} s (bulk inserts).")
        measure(f"{size:,} cases", args.repeat)


if __name__ == "__main__":
    main()
