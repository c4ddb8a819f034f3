"""Gapless numbers per agency, year and kind; a failed step gives its number back."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from cases import workflow
from cases.errors import WorkflowError
from cases.models import CoerciveMeasure, DocumentKind, MeasureKind, NumberSequence
from cases.numbering import format_number, next_case_number, next_document_number
from tests.cases.factories import CaseFactory
from tests.factories import AgencyFactory

SUMMARY = DocumentKind.SUMMARY_DECISION


@pytest.mark.django_db
def test_numbers_are_consecutive_per_agency_year_and_kind(world):
    agency = world.agency
    assert [next_document_number(agency, SUMMARY, 2026) for _ in range(3)] == [
        "济任市监当罚〔2026〕1号",
        "济任市监当罚〔2026〕2号",
        "济任市监当罚〔2026〕3号",
    ]
    assert next_document_number(agency, DocumentKind.PENALTY_DECISION, 2026) == "济任市监罚〔2026〕1号"
    assert next_document_number(agency, SUMMARY, 2025) == "济任市监当罚〔2025〕1号"
    assert next_case_number(agency, 2026) == "济任市监立〔2026〕1号"
    assert next_document_number(agency, SUMMARY, 2026) == "济任市监当罚〔2026〕4号"


@pytest.mark.django_db
def test_each_agency_has_its_own_counter(world):
    other = world.other_agency
    next_document_number(world.agency, SUMMARY, 2026)
    next_document_number(world.agency, SUMMARY, 2026)
    assert next_document_number(other, SUMMARY, 2026) == "菏市监当罚〔2026〕1号"
    assert next_document_number(world.agency, SUMMARY, 2026).endswith("3号")


@pytest.mark.django_db
def test_format_falls_back_to_the_full_name(regions):
    agency = AgencyFactory(region=regions["county"], short_name="", name="某县市场监督管理局")
    assert format_number(agency, "罚", 2026, 7) == "某县市场监督管理局罚〔2026〕7号"


@pytest.mark.django_db
def test_a_failed_transaction_gives_its_number_back(world):
    next_document_number(world.agency, SUMMARY, 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_document_number(world.agency, SUMMARY, 2026).endswith("2号")
        raise RuntimeError("the step failed after taking its number")
    assert next_document_number(world.agency, SUMMARY, 2026).endswith("2号")


@pytest.mark.django_db
def test_a_failed_workflow_step_leaves_no_gap(world, monkeypatch):
    """impose_measure takes its number, then fails later in the same transaction: no gap, no row."""
    case = CaseFactory(
        agency=world.agency, registered_by=world.handler1, state="investigating", power_item=world.power_item
    )
    case.handlers.set([world.handler1, world.handler2])
    options = {
        "kind": MeasureKind.SEAL_UP,
        "decided_on": datetime.date(2026, 3, 2),
        "reason": "涉嫌违法",
        "place": "仓库",
        "items": [{"name": "食品", "quantity": Decimal("1"), "unit": "箱"}],
    }

    def fail(*args, **kwargs):
        raise WorkflowError("模拟失败", code="simulated")

    with monkeypatch.context() as patch:
        patch.setattr("cases.workflow.coercion.record_event", fail)
        with pytest.raises(WorkflowError):
            workflow.impose_measure(case, world.head, **options)
    assert not CoerciveMeasure.objects.exists()
    assert workflow.impose_measure(case, world.head, **options).number == "济任市监强〔2026〕1号"


@pytest.mark.django_db
def test_a_refused_summary_decision_takes_no_number(world):
    from tests.cases.factories import resident_id

    options = {
        "agency": world.agency,
        "actor": world.handler1,
        "officers": [world.handler1],
        "power_item": world.power_item,
        "party": {"kind": "natural_person", "name": "张三", "id_number": resident_id()},
        "facts": "销售过期食品。",
        "penalty_kinds": ["fine"],
        "place": "市场",
        "decided_on": datetime.date(2026, 3, 2),
    }
    with pytest.raises(WorkflowError):
        workflow.decide_on_the_spot(fine=Decimal("1000"), **options)
    assert workflow.decide_on_the_spot(fine=Decimal("100"), **options).decision_number.endswith("〔2026〕1号")


@pytest.mark.django_db(transaction=True)
def test_numbers_are_taken_inside_a_transaction(world):
    with pytest.raises(RuntimeError):
        next_document_number(world.agency, SUMMARY, 2026)


# --- Concurrency, on PostgreSQL (SELECT … FOR UPDATE) ----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_get_unique_consecutive_numbers(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers with its database lock")
    agency_id = world.agency.pk
    threads_count = 16
    start = threading.Barrier(threads_count)
    committed, errors = [], []
    lock = threading.Lock()

    def file_number(index):
        from django.db import connection as thread_connection

        from lawenforce.models import Agency

        try:
            agency = Agency.objects.get(pk=agency_id)
            start.wait(timeout=30)
            try:
                with transaction.atomic():
                    number = next_document_number(agency, SUMMARY, 2026)
                    if index % 4 == 3:  # every fourth step fails after taking its number
                        raise WorkflowError("模拟失败", code="simulated")
                with lock:
                    committed.append(number)
            except WorkflowError:
                pass
        except Exception as exc:  # noqa: BLE001 (reported below)
            with lock:
                errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=file_number, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    expected = threads_count - threads_count // 4
    assert len(committed) == expected
    assert sorted(committed, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"济任市监当罚〔2026〕{n}号" for n in range(1, expected + 1)
    ]
    assert NumberSequence.objects.get(agency_id=agency_id, year=2026, kind=SUMMARY).last == expected
