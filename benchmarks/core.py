"""Benchmarks of the core vocabulary on generated data of realistic size.

Run with `make bench` (SQLite) or `DATABASE_URL=postgres://… make bench`. It builds a fresh
database, generates `--size` agencies with officers and certificates through `seed_demo`, and
times what every page of the platform leans on: the region subtree, the data-scope filter,
the supervisor's agency list, and working-day arithmetic. Results go to stdout as a Markdown
table; copy them into docs/benchmarks.md with the command that produced them.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def configure(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawenforce.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fresh_database():
    """Configure Django on a new, empty benchmark database and migrate it; returns its temp folder.

    SQLite in a temporary folder by default; with DATABASE_URL=postgres://… the database
    `lawenforce_bench` (or `$BENCH_DB`) on that server is dropped and created again.
    """
    tmp = tempfile.mkdtemp(prefix="lawenforce-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    if url.startswith("postgres"):
        url = url.rsplit("/", 1)[0] + "/" + os.environ.get("BENCH_DB", "lawenforce_bench")
        _recreate_postgres_db(url)
    configure(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return tmp


def timed(fn, repeat):
    """Median and worst wall time of `fn` over `repeat` runs, in milliseconds, plus its last result."""
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples), result


def count_queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=2000, help="generated agencies (default 2000)")
    parser.add_argument("--officers-per-agency", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    tmp = fresh_database()

    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("seed_demo", size=args.size, officers_per_agency=args.officers_per_agency, stdout=open(os.devnull, "w"))
    seed_seconds = time.perf_counter() - start
    rows = _measure(args.repeat)

    from lawenforce.models import Agency, Certificate, Officer

    print(f"# Core benchmarks ({connection.vendor}, seed_demo --size {args.size} "
          f"--officers-per-agency {args.officers_per_agency})\n")
    print(f"Data: {Agency.objects.count()} agencies, {Officer.objects.count()} officers, "
          f"{Certificate.objects.count()} certificates; seed_demo took {seed_seconds:.1f} s.\n")
    print("| what | median ms | worst ms | queries | result |")
    print("|---|---:|---:|---:|---|")
    for name, median, worst, queries, result in rows:
        print(f"| {name} | {median:.2f} | {worst:.2f} | {queries} | {result} |")
    shutil.rmtree(tmp, ignore_errors=True)


def _recreate_postgres_db(url):
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _measure(repeat):
    import datetime

    from django.contrib.auth import get_user_model
    from django.test import Client

    from lawenforce import access, calendar
    from lawenforce.models import Agency, Officer, Region

    users = get_user_model().objects
    city = Region.objects.get(code="370800")
    province = Region.objects.get(code="370000")
    supervisor = users.get(username="supervisor")
    officer = users.get(username="officer")
    rows = []

    def add(name, fn, result_fmt=str):
        median, worst, result = timed(fn, repeat)
        rows.append((name, median, worst, count_queries(fn), result_fmt(result)))

    add("region subtree of the province (count)", lambda: Region.objects.subtree(province).count())
    add("agencies in 济宁市 and below (count)", lambda: Agency.objects.in_region(city).count())
    add(
        "restrict(Officer) for the city supervisor (count)",
        lambda: access.restrict(Officer.objects.all(), supervisor).count(),
    )
    add("restrict(Officer) for an officer (count)", lambda: access.restrict(Officer.objects.all(), officer).count())

    client = Client()
    client.force_login(supervisor)

    def agency_list_page():
        response = client.get("/agencies/")
        assert response.status_code == 200
        return len(response.content)

    add("GET /agencies/ as the city supervisor (bytes)", agency_list_page)
    client.force_login(officer)

    def home_page():
        response = client.get("/home/")
        assert response.status_code == 200
        return len(response.content)

    add("GET /home/ as an officer (bytes)", home_page)

    start = datetime.date(2025, 1, 1)

    def deadlines():
        return len([calendar.add_working_days(start + datetime.timedelta(days=i), 7) for i in range(700)])

    add("700 × add_working_days(d, 7) across 2025–2026", deadlines)
    return rows


if __name__ == "__main__":
    main()
