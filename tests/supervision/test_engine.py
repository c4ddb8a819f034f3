"""Running the rules: one alert per rule and case, on events and in the sweep, with a number of
queries that does not grow with the number of cases."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseState
from supervision import engine
from supervision.models import Alert, RuleSetting
from supervision.rules import CATALOGUE, Trigger, rules_for

from .factories import D, aware, decided, event, filed


@pytest.mark.django_db
def test_running_a_rule_twice_keeps_one_alert_per_rule_and_case(world):
    case = filed(world, filed_on=D(2026, 1, 5))
    engine.run(rules=[CATALOGUE["S-DECISION-OVERDUE"]], today=D(2026, 6, 1))
    first = Alert.objects.get(case=case, rule="S-DECISION-OVERDUE")
    report = engine.run(rules=[CATALOGUE["S-DECISION-OVERDUE"]], today=D(2026, 6, 2))
    assert report.raised == 0
    assert list(Alert.objects.filter(case=case, rule="S-DECISION-OVERDUE")) == [first]
    first.refresh_from_db()
    assert first.last_seen_at > first.raised_at


@pytest.mark.django_db
def test_a_rule_switched_off_by_the_administrator_raises_nothing(world):
    filed(world, filed_on=D(2026, 1, 5))
    RuleSetting.objects.create(rule="S-DECISION-OVERDUE", enabled=False)
    engine.run(rules=[CATALOGUE["S-DECISION-OVERDUE"]], today=D(2026, 6, 1))
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_the_administrators_severity_replaces_the_catalogues(world):
    filed(world, filed_on=D(2026, 1, 5))
    RuleSetting.objects.create(rule="S-DECISION-OVERDUE", severity="low")
    engine.run(rules=[CATALOGUE["S-DECISION-OVERDUE"]], today=D(2026, 6, 1))
    assert Alert.objects.get().severity == "low"


@pytest.mark.django_db
def test_a_condition_that_comes_back_reopens_an_alert_the_system_had_closed(world):
    case = decided(world, served_on=D(2026, 3, 5), payment_due_on=D(2026, 3, 20), state=CaseState.EXECUTING)
    engine.run(rules=[CATALOGUE["S-PAYMENT-OVERDUE"]], today=D(2026, 4, 1))
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    engine.run(rules=[CATALOGUE["S-PAYMENT-OVERDUE"]], today=D(2026, 4, 2))
    assert Alert.objects.get().state == "rectified"
    Case.objects.filter(pk=case.pk).update(state=CaseState.EXECUTING)
    engine.run(rules=[CATALOGUE["S-PAYMENT-OVERDUE"]], today=D(2026, 4, 3))
    alert = Alert.objects.get()
    assert alert.state == "open" and alert.cleared_at is None
    assert [e.kind for e in alert.entries.all()] == ["cleared", "recurred"]


@pytest.mark.django_db
def test_a_missed_deadline_stays_on_record_after_the_step_is_done(world):
    case = filed(world, filed_on=D(2026, 1, 5))
    engine.run(rules=[CATALOGUE["S-DECISION-OVERDUE"]], today=D(2026, 6, 1))
    Case.objects.filter(pk=case.pk).update(state=CaseState.DECIDED, decided_on=D(2026, 6, 2))
    engine.run(rules=[CATALOGUE["S-DECISION-OVERDUE"]], today=D(2026, 6, 3))
    alert = Alert.objects.get()
    assert alert.state == "open"
    assert alert.facts["due_on"] == "2026-04-07"


def _sweep_queries(today):
    with CaptureQueriesContext(connection) as ctx:
        engine.run(rules=rules_for(Trigger.SCHEDULE), today=today)
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_sweep_runs_the_same_number_of_queries_for_few_and_many_cases(world):
    def make(n):
        for i in range(n):
            filed(world, filed_on=D(2026, 1, 5))
            decided(world, decided_on=D(2026, 3, 2), fine=None if i % 2 else 60000)
            filed(world, state=CaseState.CLOSED, closed_on=D(2026, 3, 2))

    make(2)
    _sweep_queries(D(2026, 6, 1))  # the first run inserts; the steady state is what repeats nightly
    few = _sweep_queries(D(2026, 6, 1))
    make(20)
    _sweep_queries(D(2026, 6, 1))
    many = _sweep_queries(D(2026, 6, 1))
    assert Alert.objects.count() > 40
    assert few == many


@pytest.mark.django_db
def test_checking_one_case_runs_every_rule_with_a_bounded_number_of_queries(world):
    case = decided(world, is_major=True, fine=150000)
    with CaptureQueriesContext(connection) as ctx:
        engine.check_case(case.pk)
    assert len(ctx.captured_queries) < 6 * len(CATALOGUE)
    assert set(Alert.objects.filter(case=case).values_list("rule", flat=True)) >= {
        "S-REVIEW-MISSING",
        "S-FINE-ABOVE-MAX",
    }


@pytest.mark.django_db
def test_a_committed_workflow_step_raises_its_alert(world, django_capture_on_commit_callbacks):
    from tests.cases.factories import filed_via_workflow

    with django_capture_on_commit_callbacks(execute=True):
        case = filed_via_workflow(
            world, filed_on=D(2026, 3, 5), lead_received_on=D(2026, 1, 5), violation_date=D(2025, 12, 20)
        )
    alert = Alert.objects.get(case=case, rule="S-FILING-OVERDUE")
    assert alert.facts["filed_on"] == "2026-03-05"


@pytest.mark.django_db
def test_a_step_that_rolls_back_raises_nothing(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    from tests.cases.factories import filed_via_workflow

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                filed_via_workflow(
                    world, filed_on=D(2026, 3, 5), lead_received_on=D(2026, 1, 5), violation_date=D(2025, 12, 20)
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not Alert.objects.exists()


@pytest.mark.django_db
def test_an_evidence_upload_is_checked_after_commit(world, django_capture_on_commit_callbacks):
    from .factories import evidence

    case = filed(world)
    with django_capture_on_commit_callbacks(execute=True):
        evidence(case, world.handler1, collected_at=aware(D(2026, 3, 6)), uploaded_at=aware(D(2026, 3, 9)))
    assert Alert.objects.filter(case=case, rule="S-EVIDENCE-LATE").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_on_postgresql_still_raise_one_alert(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    cases = [filed(world, filed_on=D(2026, 1, 5)) for _ in range(5)]
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            engine.run(rules=[CATALOGUE["S-DECISION-OVERDUE"]], today=D(2026, 6, 1))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Alert.objects.filter(rule="S-DECISION-OVERDUE").count() == len(cases)


@pytest.mark.django_db
def test_an_event_entered_late_is_found_by_the_sweep_of_all_rules(world):
    case = decided(world, decided_on=D(2026, 4, 20))
    event(case, CaseState.DECIDED, aware(D(2026, 5, 20)))
    engine.run(today=D(2026, 6, 1))
    assert Alert.objects.filter(case=case, rule="S-BACKFILL-LATE").exists()
