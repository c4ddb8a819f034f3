"""Case-handling benchmarks on 100,000 generated cases (issue: case handling end to end).

`make bench-cases` (PostgreSQL is the target: DATABASE_URL=postgres://…; SQLite works too).
Builds a fresh database, seeds the demo jurisdiction with --size 200 more agencies, adds
`--count` generated cases (cases/volume.py), then measures as the demo officer:

- server time and SQL queries of the officer's case list and of a case page (the case with the
  most parties, events and history rows), repeated;
- CPU time of one full ordinary-procedure lifecycle through the workflow service layer
  (lead → filing → investigation → prior notice → decision → service → payment → close → archive).
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.core import count_queries, fresh_database  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    fresh_database()

    from django.core.management import call_command
    from django.db import connection

    devnull = open(os.devnull, "w")
    call_command("seed_demo", size=200, stdout=devnull)
    start = time.perf_counter()
    call_command("seed_cases", count=args.count, stdout=devnull)
    seed_seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        # Bulk loads leave the planner's statistics stale; autovacuum would catch up in production.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from cases.models import Case

    print(f"# Case benchmarks ({connection.vendor}, {Case.objects.count()} cases; seed_cases took {seed_seconds:.0f} s)\n")
    print("| what | median ms | worst ms | queries |")
    print("|---|---:|---:|---:|")
    for name, median, worst, queries in _pages(args.repeat):
        print(f"| {name} | {median:.1f} | {worst:.1f} | {queries} |")
    cpu = _lifecycle_cpu()
    print(f"\nOne full ordinary lifecycle through cases.workflow: {cpu * 1000:.0f} ms CPU (median of 5).")


def _timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), max(samples)


def _pages(repeat):
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from cases.models import Case

    officer = get_user_model().objects.get(username="officer")
    client = Client()
    client.force_login(officer)
    busiest = (
        Case.objects.filter(agency=officer.officer.agency)
        .annotate(n=Count("events") + Count("parties", distinct=True))
        .order_by("-n")
        .first()
    )
    rows = []
    for name, url in [
        ("GET /cases/ (officer's case list)", "/cases/"),
        ("GET /cases/?state=investigating", "/cases/?state=investigating"),
        (f"GET /cases/{busiest.pk}/ (case page)", f"/cases/{busiest.pk}/"),
        (f"GET /cases/{busiest.pk}/timeline/", f"/cases/{busiest.pk}/timeline/"),
    ]:
        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        median, worst = _timed(get, repeat)
        rows.append((name, median, worst, count_queries(get)))
    return rows


def _lifecycle_cpu():
    from benchmarks.lifecycle import run_lifecycle

    samples = []
    for i in range(5):
        t = time.process_time()
        run_lifecycle(i)
        samples.append(time.process_time() - t)
    return statistics.median(samples)


if __name__ == "__main__":
    main()
