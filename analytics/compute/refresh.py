"""The two ways the snapshots are brought up to date.

- `full(region, years)`: everything of one or several years for a province (or any region), step
  by step with a progress callback: case facts, the cells, agency values, region values, repeat
  parties and risks; each step reads the sources once for all the years.
  `manage.py recompute_indicators` and the nightly Celery task.
- `incremental()`: what the dirty queue names (cases that had events, cells whose complaints,
  evaluations or certificates changed): only those case facts, only those (agency, month) cells,
  and only the values of those agencies, of the regions above them and of the periods that
  contain those months.

Both run in one transaction under one lock, so two workers never interleave their writes.
"""

import contextlib
import dataclasses
import re
import threading
from collections import defaultdict

from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from analytics import risks
from analytics.models import CaseFact, DirtyCase, DirtyCell, RefreshRun, ScopeKind
from analytics.periods import periods_of_year, periods_touching
from lawenforce.models import Agency, Region

from . import cells, facts, parties, values
from .sql import AgencySet

LOCK_KEY = 7_007_007  # pg_advisory_xact_lock key of the analytics computation


# Session settings for the computation's transaction (PostgreSQL; SET LOCAL ends with it).
# JIT compiles every query whose estimate passes jit_above_cost, about 0.1 s each, and gains
# nothing on these short aggregates (an incremental refresh runs some 50 of them); the
# hash aggregates of the repeat parties spill to disk at the default 4 MB of work_mem.
SESSION_SETTINGS = {"jit": "off", "random_page_cost": "1.1", "work_mem": "64MB"}


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        _session_settings()


# The full recompute's helper connection runs its queries without parallel workers: it is there
# to use the core the caller's serial work (inserting the facts, building indexes) leaves idle;
# parallel workers of its own would compete with the caller's parallel queries for the same cores.
# (The incremental refresh's repeat parties keep them: the caller's work there is small queries
# and pandas, and the thread is the longer of the two.)
HELPER_SETTINGS = {**SESSION_SETTINGS, "max_parallel_workers_per_gather": "0"}


def _session_settings(settings=SESSION_SETTINGS):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _concurrent():
    """Whether a computation may use a second connection: PostgreSQL, and not inside a caller's
    transaction (a test's), whose rows a second connection could not see."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


@contextlib.contextmanager
def _computation(concurrent):
    """The full recompute's transaction, under the computation's lock. Yields the id of its
    exported snapshot when `concurrent`, else None.

    Concurrent, the transaction is REPEATABLE READ: every statement of it reads the database as
    it was when the transaction began, and a helper connection that imports the same snapshot
    (`_alongside`) reads exactly that too, so counts read there agree with the case facts
    written here. The lock is then taken at session level before the transaction begins (a
    snapshot taken while waiting for another computation would not see what that one wrote) and
    released after it ends. A change committed meanwhile marks its case or cell dirty as always,
    and the next incremental refresh applies it to what this computation stored."""
    if not concurrent:
        with transaction.atomic():
            _lock()
            yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
            _session_settings()
            yield snapshot
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


def _alongside(concurrent, work, *args, snapshot=None, settings=SESSION_SETTINGS):
    """Start `work(*args)` and return a function that waits for it and returns its result.

    With `concurrent` (see _concurrent) the work runs in a thread on its own connection and
    transaction while the caller goes on, so a second core and the database work at the same
    time. It must only read, and only committed rows: the repeat parties read the parties and the
    cases, never the facts the caller is rewriting; with `snapshot` (an id from _computation) it
    reads exactly what the caller's transaction reads. A failure is raised by the returned
    function, so the caller's transaction rolls back too (and the dirty queue with it: the next
    refresh redoes both). Otherwise (SQLite allows one writer at a time; tests run inside a
    transaction a second connection cannot see) it runs here and now.
    """
    if not concurrent:
        result = work(*args)
        return lambda quiet=False: result
    if snapshot is not None and not SNAPSHOT_ID.match(snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    box = {}

    def run():
        try:
            with transaction.atomic():
                if snapshot is not None:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")  # no parameters here
                _session_settings(settings)
                box["result"] = work(*args)
        except BaseException as error:  # handed to the caller, which re-raises it
            box["error"] = error
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=run, name=f"analytics-{work.__name__}", daemon=True)
    thread.start()

    def wait(quiet=False):
        thread.join()
        if "error" in box and not quiet:
            raise box["error"]
        return box.get("result")

    return wait


def full_steps(region, years, snapshot=None):
    """The steps of a full recompute of `years` (a year or several) as (label, callable), for a
    progress bar. Each step covers every year at once: the cases, handlers and complaints are read
    once for all the years, not once per year. `snapshot`: the transaction's exported snapshot
    (_computation), with which the other sources are read on a second connection."""
    years = _years(years)
    agencies = AgencySet(region=region)
    months = [year * 100 + month for year in years for month in range(1, 13)]
    state = {"runs": {}, "values": dict.fromkeys(years, 0)}

    def start():
        # The complaints', evaluations' and remedies' cells are read on a second connection
        # meanwhile (the same snapshot; see _computation): they do not depend on the facts.
        state["others"] = _alongside(
            snapshot is not None, cells.other_sources, agencies, months, snapshot=snapshot, settings=HELPER_SETTINGS
        )
        now = timezone.now()
        state["runs"] = {
            year: RefreshRun.objects.create(kind=RefreshRun.FULL, region=region, year=year, started_at=now)
            for year in years
        }
        # Cells of these years marked before now are about to be recomputed anyway.
        DirtyCell.objects.filter(year__in=years, agency_id__in=agencies.ids()).delete()
        state["facts"] = facts.rebuild(agencies, years)

    def cell_step():
        # One pass per source over all the months: the months are GROUP BY keys, not queries.
        cells.rebuild(agencies, months, others=state.pop("others")())
        state["cells"] = cells.counts(agencies, years)

    def agency_values():
        for year in years:
            periods = periods_of_year(year)
            results = values.agency_results(agencies, year, periods)
            state["values"][year] += values.write(results, ScopeKind.AGENCY, agencies.ids(), year, periods)

    def region_values():
        region_ids = list(Region.objects.subtree(region).values_list("pk", flat=True))
        for year in years:
            periods = periods_of_year(year)
            results = values.region_results(region_ids, year, periods)
            state["values"][year] += values.write(results, ScopeKind.REGION, region_ids, year, periods)

    def finish():
        for year in years:
            parties.rebuild(agencies, year)
            risks.evaluate(agencies.ids(), year)
        finished = timezone.now()
        for year, run in state["runs"].items():
            run.cases, run.cells, run.values = state["facts"][year], state["cells"][year], state["values"][year]
            run.finished_at = finished
            run.save()

    steps = [("案件事实", start)]
    steps += [("统计单元", cell_step)]
    steps += [("执法主体指标", agency_values), ("区划逐级汇总", region_values), ("多次违法与风险", finish)]
    return steps, state


def _years(years):
    return [years] if isinstance(years, int) else sorted(set(years))


def full(region, years, progress=None):
    """Recompute `years` (a year or several) for `region` and everything below it. Returns the
    RefreshRuns, one per year. `progress(label, done)` is told before (done=False) and after
    (done=True) each step.

    Concurrent (see _computation), a write that collides with one committed since the snapshot
    (a supervisor recording a risk's disposition meanwhile) ends the transaction with a
    serialization failure; the recompute is then run once more, on a new snapshot."""
    concurrent = _concurrent()
    for attempt in (1, 2):
        try:
            with _computation(concurrent) as snapshot:
                steps, state = full_steps(region, years, snapshot)
                _run(steps, state, progress)
            return list(state["runs"].values())
        except OperationalError as error:
            if attempt == 2 or getattr(error.__cause__, "sqlstate", None) != SERIALIZATION_FAILURE:
                raise


SERIALIZATION_FAILURE = "40001"


def _run(steps, state, progress):
    try:
        for label, step in steps:
            if progress:
                progress(label, False)
            step()
            if progress:
                progress(label, True)
    finally:
        if "others" in state:  # a step failed before the helper's result was taken
            state.pop("others")(quiet=True)


def restore_lost():
    """After a PostgreSQL crash the unlogged case facts, cells, officer months and repeat parties
    are empty (migration analytics.0002). If a full recompute has run but no case fact is left,
    recompute every (region, year) that was ever computed in full, so an incremental refresh never
    works from lost facts. Returns the RefreshRuns (empty when nothing was lost)."""
    if CaseFact.objects.exists():  # one indexed probe per refresh
        return []
    done = RefreshRun.objects.filter(kind=RefreshRun.FULL, region__isnull=False, finished_at__isnull=False)
    pairs = sorted(set(done.values_list("region_id", "year")))
    if not pairs:
        return []
    DirtyCase.objects.all().delete()  # the full recompute reads every case as it is now
    regions = Region.objects.in_bulk([region for region, _year in pairs])
    years = defaultdict(list)
    for region, year in pairs:
        years[region].append(year)
    return [
        run
        for region, of_region in sorted(years.items())
        if region in regions
        for run in full(regions[region], of_region)
    ]


def incremental(limit=None):
    """Bring the snapshots up to date with the dirty queue. Returns the RefreshRun, or None
    when nothing was waiting."""
    lost = restore_lost()
    if lost:
        return lost[-1]
    concurrent = _concurrent()
    with transaction.atomic():
        _lock()
        queued = DirtyCase.objects.order_by("noted_at")
        case_ids = list(
            queued.values_list("case_id", flat=True)[:limit] if limit else queued.values_list("case_id", flat=True)
        )
        marked = list(DirtyCell.objects.values_list("pk", "agency_id", "year", "month"))
        if not case_ids and not marked:
            return None
        started = timezone.now()
        DirtyCase.objects.filter(case_id__in=case_ids).delete()
        DirtyCell.objects.filter(pk__in=[m[0] for m in marked]).delete()

        before, after = facts.rows_of(case_ids), facts.rows_now(case_ids)
        handled = set()  # cells whose handled cases changed: their officer months are recomputed
        case_cells, decided = facts.changed_cells(before, after, handled)
        # The repeat parties of the decided cases are recomputed meanwhile (see _alongside),
        # started as soon as they are known.
        parties_done = _alongside(concurrent, parties.refresh_for_cases, sorted(decided))
        try:
            values_written, dirty = _apply(case_ids, before, after, marked, case_cells, handled)
        except BaseException:
            parties_done(quiet=True)  # the refresh rolls back: let the other thread end first
            raise
        parties_done()
        return RefreshRun.objects.create(
            kind=RefreshRun.INCREMENTAL,
            started_at=started,
            finished_at=timezone.now(),
            cases=len(case_ids),
            cells=len(dirty),
            values=values_written,
        )


def _apply(case_ids, before, after, marked, case_cells, handled):
    """An incremental refresh's writes: the facts, the cells that changed and the values above
    them. Returns (values written, the dirty (agency, ym) cells)."""
    facts.replace(case_ids, after)
    marked_cells = {(agency, year * 100 + month) for _pk, agency, year, month in marked}
    recount = marked_cells | cells.moved_cells(before, after)
    handled |= marked_cells
    deltas = cells.complaint_deltas(before, after)
    dirty = case_cells | recount | {(agency, ym) for agency, ym, _item, _change in deltas}
    codes = _affected_indicators(case_cells, recount, handled, deltas)
    change = _Change(case_cells, recount, handled, deltas, codes)
    by_year = defaultdict(lambda: (set(), set()))
    for agency, ym in dirty:
        agencies, months = by_year[ym // 100]
        agencies.add(agency)
        months.add(ym % 100)
    written = sum(
        _refresh_year(year, agency_ids, months, change) for year, (agency_ids, months) in sorted(by_year.items())
    )
    return written, dirty


@dataclasses.dataclass
class _Change:
    """What an incremental refresh found changed (refresh.incremental)."""

    case_cells: set  # (agency, ym) whose case counts changed
    recount: set  # (agency, ym) to recount from every source
    officer_cells: set  # (agency, ym) whose officer months are recomputed
    deltas: list  # (agency, ym, item, ±1) of complaints dealt with
    codes: set | None  # the indicators to recompute (None: all)


def _refresh_year(year, agency_ids, months, change):
    """The cells and values of one year of an incremental refresh; returns the values written."""
    agency_ids = set(Agency.objects.filter(pk__in=agency_ids).values_list("pk", flat=True))
    agencies, codes = AgencySet(ids=agency_ids), change.codes

    def of_year(pairs):
        return {(a, ym) for a, ym in pairs if ym // 100 == year and a in agency_ids}

    deltas = [d for d in change.deltas if d[1] // 100 == year and d[0] in agency_ids]
    cells.rebuild_exact(of_year(change.case_cells), of_year(change.recount), of_year(change.officer_cells), deltas)
    periods = periods_touching(year, months)
    region_ids = regions_above(agency_ids)
    # The year's cells of every agency below those regions, read once for both levels.
    year_cells = values.agency_cells(AgencySet(ids=values.agencies_below(region_ids)), year)
    results = values.agency_results(agencies, year, periods, codes=codes, cells=year_cells)
    changed = set()  # (agency, indicator) whose year value was rewritten: their risks may move
    written = values.write(results, ScopeKind.AGENCY, agency_ids, year, periods, changed, codes)
    results = values.region_results(region_ids, year, periods, codes=codes, cells=year_cells)
    written += values.write(results, ScopeKind.REGION, region_ids, year, periods, codes=codes)
    # A risk reads only its agency's year value of its indicator: re-evaluate the agencies where
    # one of those changed (the full recompute evaluates every agency).
    risk_indicators = {rule.indicator for rule in risks.RULES}
    risks.evaluate(sorted({a for a, code in changed if code in risk_indicators}), year)
    return written


def _affected_indicators(case_cells, recount, officer_cells, deltas):
    """The indicators an incremental refresh must recompute: a decision moves the violation and
    penalty counts, a filing the handled counts and the officer months, a complaint's case the
    complaints dealt with; a recounted cell (a complaint, evaluation or certificate changed) may
    move anything. None means every indicator."""
    if recount:
        return None
    inputs = set()
    if case_cells:
        inputs |= {"violations", "penalties"}
    if officer_cells:
        inputs |= {"handled", "officers"}
    if deltas:
        inputs.add("complaints_dealt")
    return values.affected(inputs)


def regions_above(agency_ids):
    """Ids of every region at or above the regions of `agency_ids`."""
    paths = Agency.objects.filter(pk__in=agency_ids).values_list("region__path", flat=True).distinct()
    codes = {code for path in paths for code in path.split("/") if code}
    return list(Region.objects.filter(code__in=codes).values_list("pk", flat=True))
