"""Other apps hear of a workflow step only after it has committed (cases.signals)."""

import datetime

import pytest
from django.db import transaction

from cases import signals, workflow
from cases.errors import WorkflowError
from tests.cases.factories import decided_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signals.case_event_committed.connect(receiver, dispatch_uid="test-heard")
    yield received
    signals.case_event_committed.disconnect(dispatch_uid="test-heard")


def test_a_committed_step_is_heard_with_its_states(world, heard):
    case = decided_case(world, fine=None)
    workflow.serve_decision(
        case, world.handler1, method="direct", served_on=datetime.date(2026, 3, 3), recipient="王某"
    )
    served = [k for k in heard if k["case_id"] == case.pk and k["to_state"] == "served"]
    assert len(served) == 1
    assert served[0]["from_state"] == "decided"
    assert served[0]["event_id"]


def test_a_step_that_rolls_back_is_never_heard(world, heard):
    case = decided_case(world, fine=None)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.serve_decision(
            case, world.handler1, method="direct", served_on=datetime.date(2026, 3, 3), recipient="王某"
        )
        assert heard == []  # not while the transaction is open
        raise RuntimeError("roll back")
    assert heard == []


def test_a_refused_step_is_never_heard(world, heard):
    case = decided_case(world, fine=None)
    with pytest.raises(WorkflowError):
        workflow.serve_decision(
            case, world.handler1, method="direct", served_on=datetime.date(2026, 2, 1), recipient="王某"
        )
    assert heard == []


def test_a_failing_receiver_does_not_break_the_committed_step(world, heard):
    def broken(sender, **kwargs):
        raise ValueError("receiver bug")

    signals.case_event_committed.connect(broken, dispatch_uid="test-broken")
    try:
        case = decided_case(world, fine=None)
        workflow.serve_decision(
            case, world.handler1, method="direct", served_on=datetime.date(2026, 3, 3), recipient="王某"
        )
    finally:
        signals.case_event_committed.disconnect(dispatch_uid="test-broken")
    case.refresh_from_db()
    assert case.state == "served"
    assert any(k["to_state"] == "served" for k in heard)
