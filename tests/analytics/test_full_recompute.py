"""The full recompute: several years in one pass, the helper connection that reads the other
sources on the same snapshot (PostgreSQL), and its retry after a serialization failure."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction

from analytics import dirty, risks
from analytics.compute import cells, facts, refresh
from analytics.models import CaseFact, Cell, DirtyCase, IndicatorValue, OfficerMonth, RefreshRun, RepeatParty
from cases.models import Case, DecisionKind
from tests.analytics.test_incremental import parties_snapshot, snapshot

pytestmark = pytest.mark.django_db
D = datetime.date


def _cells():
    fields = ("agency", "year", "month", "power_item", "source", "handled", "violations", "complaints_dealt")
    return sorted(Cell.objects.values_list(*fields), key=str), sorted(
        OfficerMonth.objects.values_list("agency", "year", "month", "officer", "cases"), key=str
    )


def _empty():
    for model in (CaseFact, Cell, OfficerMonth, RepeatParty, IndicatorValue):
        model.objects.all().delete()


def test_several_years_at_once_equal_one_year_at_a_time(world):
    """One pass over the cases for 2025 and 2026 stores what two recomputes of a year each do;
    each year gets its own RefreshRun with its own counts."""
    province = world.regions["province"]
    Case.objects.filter(pk=world.cases["c1"].pk).update(filed_on=D(2026, 2, 1), decided_on=None, decision_kind="")
    refresh.full(province, 2025)
    refresh.full(province, 2026)
    one_by_one = snapshot(), _cells(), parties_snapshot()
    _empty()
    runs = refresh.full(province, [2026, 2025])
    assert (snapshot(), _cells(), parties_snapshot()) == one_by_one
    assert [run.year for run in runs] == [2025, 2026]
    assert all(run.kind == RefreshRun.FULL and run.finished_at for run in runs)
    facts_2026 = CaseFact.objects.filter(handled_ym__gte=202601).count()
    assert runs[1].cases == facts_2026 == 1 and runs[0].cases > 1
    assert runs[0].cells == Cell.objects.filter(year=2025).count() + OfficerMonth.objects.filter(year=2025).count()


def test_the_command_recomputes_the_years_together_and_reports_each(world):
    out = io.StringIO()
    call_command("recompute_indicators", year=[2026, 2025], region="370000", no_progress=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("山东省 2025 年：案件事实") and lines[1].startswith("山东省 2026 年：")
    assert lines[-1].startswith("用时")
    assert sorted(RefreshRun.objects.values_list("year", flat=True)) == [2025, 2026]


def test_a_serialization_failure_runs_the_recompute_once_more(world, monkeypatch):
    """A write that collides with one committed since the snapshot (PostgreSQL, REPEATABLE READ)
    ends the first attempt; the second, on a new snapshot, stores the full result."""
    province = world.regions["province"]
    refresh.full(province, 2025)
    expected = snapshot()
    _empty()
    original, calls = risks.evaluate, []

    class Collision(Exception):
        sqlstate = "40001"  # serialization_failure

    def collides_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("could not serialize access due to concurrent update") from Collision()
        return original(*args, **kwargs)

    monkeypatch.setattr(risks, "evaluate", collides_once)
    runs = refresh.full(province, 2025)
    assert len(calls) == 2 and snapshot() == expected
    assert RefreshRun.objects.filter(kind=RefreshRun.FULL, finished_at__isnull=False).count() == 2  # 1 + the retry
    assert runs[0].finished_at


def test_another_database_error_is_not_retried(world, monkeypatch):
    calls = []

    def fails(*args, **kwargs):
        calls.append(1)
        raise OperationalError("disk full")

    monkeypatch.setattr(risks, "evaluate", fails)
    with pytest.raises(OperationalError, match="disk full"):
        refresh.full(world.regions["province"], 2025)
    assert len(calls) == 1


def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the helper connection is PostgreSQL's (SQLite allows one writer at a time)")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_other_sources_are_read_alongside_on_the_same_snapshot(world, monkeypatch):
    """Outside a caller's transaction (the command, the nightly task) the complaints',
    evaluations' and remedies' cells are read on a helper connection that imported the
    recompute's snapshot; the result is exactly the one computed in line."""
    _postgresql_only()
    seen = []
    original = refresh._alongside

    def watched(concurrent, work, *args, snapshot=None, **kwargs):
        seen.append((concurrent, work.__name__, snapshot is not None))
        return original(concurrent, work, *args, snapshot=snapshot, **kwargs)

    monkeypatch.setattr(refresh, "_alongside", watched)
    refresh.full(world.regions["province"], 2025)
    assert seen == [(True, "other_sources", True)]
    alongside = snapshot(), _cells(), parties_snapshot()
    with transaction.atomic():  # inside a transaction: everything in line, on one connection
        refresh.full(world.regions["province"], 2025)
    assert seen[-1] == (False, "other_sources", False)
    assert (snapshot(), _cells(), parties_snapshot()) == alongside
    assert any(row[4] == 2 for row in alongside[1][0])  # complaint cells were counted alongside


@pytest.mark.django_db(transaction=True)
def test_a_failure_on_the_helper_connection_rolls_the_recompute_back(world, monkeypatch):
    _postgresql_only()
    refresh.full(world.regions["province"], 2025)
    before, runs = (snapshot(), _cells()), RefreshRun.objects.count()
    Case.objects.filter(pk=world.cases["c5"].pk).update(
        decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided"
    )

    def broken(agencies, yms):
        raise RuntimeError("complaints unreadable")

    monkeypatch.setattr(cells, "other_sources", broken)
    with pytest.raises(RuntimeError, match="complaints unreadable"):
        refresh.full(world.regions["province"], 2025)
    assert (snapshot(), _cells()) == before and RefreshRun.objects.count() == runs


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_the_recompute_is_applied_by_the_next_refresh(world, monkeypatch):
    """The recompute reads one snapshot throughout (facts and the helper's cells agree). A decision
    committed after it began is not in what it stores, but the case was marked dirty, and the
    next incremental refresh brings 2025 to what a recompute from scratch gives."""
    _postgresql_only()
    import threading

    from django.db import connections

    c5 = world.cases["c5"]
    original = facts.rebuild

    def decide_meanwhile(agencies, years):
        def commit_elsewhere():  # another user's request, on its own connection
            try:
                with transaction.atomic():
                    Case.objects.filter(pk=c5.pk).update(
                        decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided"
                    )
                    dirty.mark_cases([c5.pk])
            finally:
                connections.close_all()

        thread = threading.Thread(target=commit_elsewhere)  # after the snapshot, before the facts
        thread.start()
        thread.join()
        return original(agencies, years)

    def of_2025(rows):
        return [row for row in rows if row[5] == 2025]  # snapshot(): year is the sixth field

    monkeypatch.setattr(facts, "rebuild", decide_meanwhile)
    refresh.full(world.regions["province"], 2025)
    assert Case.objects.get(pk=c5.pk).decided_on == D(2025, 4, 15)  # committed meanwhile
    assert CaseFact.objects.get(case_id=c5.pk).decided_ym is None  # not in the recompute's snapshot
    assert DirtyCase.objects.filter(case_id=c5.pk).exists()
    monkeypatch.setattr(facts, "rebuild", original)
    refresh.incremental()
    after = of_2025(snapshot()), parties_snapshot()
    _empty()
    refresh.full(world.regions["province"], 2025)
    assert after == (of_2025(snapshot()), parties_snapshot())
    assert CaseFact.objects.get(case_id=c5.pk).decided_ym == 202504
