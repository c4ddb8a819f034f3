"""An archived case is read-only: every change is refused with the Chinese message and recorded."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from cases import readonly, workflow
from cases.documents import generate
from cases.errors import WorkflowError
from cases.models import Case, CaseEvent, CaseState, Document, DocumentKind, Party, Payment, ServiceMethod
from tests.cases.factories import CoerciveMeasureFactory, PartyFactory, SeizedItemFactory, decided_case

pytestmark = pytest.mark.django_db

D = datetime.date
MESSAGE = "案件已归档，不能再修改。如确需更正，请依法定程序办理。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def refused(excinfo):
    error = excinfo.value
    assert isinstance(error, WorkflowError)
    assert error.rule_code == "case_archived" and error.text == MESSAGE
    return error


@pytest.fixture
def archived(world):
    """A fined case served, paid, closed and archived through the workflow."""
    case = decided_case(world)
    generate(case, DocumentKind.PENALTY_DECISION, world.head)
    workflow.serve_decision(
        case, world.handler1, method=ServiceMethod.DIRECT, served_on=D(2026, 3, 3), recipient="王某"
    )
    workflow.record_payment(case, world.handler1, amount=Decimal("10000"), paid_on=D(2026, 3, 10), receipt_number="R1")
    workflow.close_case(case, world.head, closed_on=D(2026, 3, 20))
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 4, 1))
    case.refresh_from_db()
    return case


def test_the_archive_step_itself_goes_through(archived):
    assert archived.state == CaseState.ARCHIVED and archived.archived_on == D(2026, 4, 1)
    assert archived.history.first().state == CaseState.ARCHIVED  # history row of the archiving save
    assert archived.documents.filter(kind=DocumentKind.CLOSING_REPORT).exists()  # made while archiving


def test_saving_the_case_is_refused(archived):
    archived.title = "改过的案由"
    with pytest.raises(WorkflowError) as excinfo:
        archived.save()
    error = refused(excinfo)
    assert error.case_id == archived.pk and "修改案件" in error.attempt
    archived.refresh_from_db()
    assert archived.title != "改过的案由"


def test_adding_a_party_or_a_payment_is_refused(world, archived):
    with pytest.raises(WorkflowError) as excinfo:
        PartyFactory(case=archived, name="新增当事人")
    assert "新增当事人" in refused(excinfo).attempt  # "新增" + the verbose name 当事人
    with pytest.raises(WorkflowError) as excinfo:
        Payment.objects.create(
            case=archived, amount=Decimal("1"), paid_on=D(2026, 4, 2), receipt_number="R2", recorded_by=world.handler1
        )
    refused(excinfo)
    assert not Party.objects.filter(name="新增当事人").exists()
    assert archived.payments.count() == 1


def test_changing_or_moving_a_row_is_refused(world, archived):
    party = archived.parties.get()
    party.phone = "0537-7654321"
    with pytest.raises(WorkflowError) as excinfo:
        party.save()
    refused(excinfo)
    other = decided_case(world)
    party.case = other  # moving it off the archived case is a change of the archived case too
    with pytest.raises(WorkflowError):
        party.save()


def test_deleting_a_document_or_the_case_is_refused(archived):
    document = archived.documents.get(kind=DocumentKind.PENALTY_DECISION)
    # delete() and the m2m managers run in atomic(savepoint=False): a caller that goes on inside
    # the same transaction needs its own savepoint (in production: the request's autocommit).
    with pytest.raises(WorkflowError) as excinfo, transaction.atomic():
        document.delete()
    assert "删除执法文书" in refused(excinfo).attempt
    with pytest.raises(WorkflowError) as excinfo, transaction.atomic():
        archived.delete()
    refused(excinfo)
    assert Document.objects.filter(pk=document.pk).exists() and Case.objects.filter(pk=archived.pk).exists()


def test_handlers_cannot_be_changed_from_either_side(world, archived):
    with pytest.raises(WorkflowError) as excinfo, transaction.atomic():
        archived.handlers.add(world.reviewer)
    refused(excinfo)
    with pytest.raises(WorkflowError), transaction.atomic():
        archived.handlers.remove(world.handler1)
    with pytest.raises(WorkflowError), transaction.atomic():
        world.handler1.handled_cases.clear()
    assert set(archived.handlers.all()) == {world.handler1, world.handler2}


def test_rows_two_steps_away_are_guarded(world):
    case = decided_case(world)
    measure = CoerciveMeasureFactory(case=case, approved_by=world.head)
    item = SeizedItemFactory(measure=measure)
    Case.objects.filter(pk=case.pk).update(state=CaseState.ARCHIVED)
    item.quantity = Decimal("1")
    with pytest.raises(WorkflowError) as excinfo:
        item.save()
    refused(excinfo)
    with pytest.raises(WorkflowError):
        SeizedItemFactory(measure=measure)


def test_a_new_document_is_refused_and_leaves_no_file(world, archived):
    from django.core.files.storage import default_storage

    folder = "documents"
    before = sum(len(files) for _root, _dirs, files in _walk(default_storage, folder))
    with pytest.raises(WorkflowError) as excinfo:
        generate(archived, DocumentKind.PENALTY_DECISION, world.head)
    refused(excinfo)
    assert sum(len(files) for _root, _dirs, files in _walk(default_storage, folder)) == before


def _walk(storage, folder):
    import os

    return os.walk(storage.path(folder))


def test_the_timeline_and_the_evidence_trail_stay_appendable(world, archived):
    event = CaseEvent.objects.create(case=archived, actor=world.handler1, action="查阅")
    event.summary = "改写"
    with pytest.raises(WorkflowError):
        event.save()
    with pytest.raises(WorkflowError), transaction.atomic():
        event.delete()
    assert Document.objects.filter(case=archived).exists()
    # The archive's own dossier document may be added (once DocumentKind.DOSSIER exists).
    Document.objects.create(case=archived, kind="dossier", title="案卷", file="dossiers/x.pdf", sha256="0" * 64, size=1)


def test_evidence_of_an_archived_case_is_guarded_but_its_access_trail_is_not(world, archived):
    from django.contrib.auth import get_user_model

    from evidence.models import EvidenceAccess, EvidenceItem
    from tests.cases.test_dossier import add_evidence

    assert EvidenceItem in readonly._chains and EvidenceAccess in readonly._chains
    with pytest.raises(WorkflowError):
        add_evidence(archived, world.handler1, "补充证据", b"late")
    case = decided_case(world)
    item = add_evidence(case, world.handler1, "进货单据", b"bytes")
    Case.objects.filter(pk=case.pk).update(state=CaseState.ARCHIVED)
    item.title = "改名"
    with pytest.raises(WorkflowError):
        item.save()
    user = get_user_model().objects.create(username="viewer")
    EvidenceAccess.objects.create(item=item, user=user, officer=world.handler1, action="view")


def test_an_open_or_closed_case_is_not_affected(world):
    case = decided_case(world)
    case.title = "更正案由"
    case.save()
    PartyFactory(case=case, name="第二当事人")
    case.parties.get(name="第二当事人").delete()


def test_the_refused_attempt_is_recorded_after_the_rollback(world, archived):
    party = archived.parties.get()
    party.name = "改名"
    with pytest.raises(WorkflowError) as excinfo:
        with transaction.atomic():  # the way a workflow step or a view's save would run
            party.save()
    event = readonly.record_refusal(excinfo.value, world.handler1)
    assert event.action == "拒绝修改已归档案件" and event.actor == world.handler1
    assert "修改当事人" in event.summary
    assert archived.events.filter(action="拒绝修改已归档案件").count() == 1
    assert archived.parties.get().name != "改名"

    # Other refusals are not recorded as attempts on an archived case.
    other = WorkflowError("别的拒绝", code="wrong_state")
    assert readonly.record_refusal(other, world.handler1) is None
    event = readonly.record_refused_attempt(archived, world.head, "通过接口修改当事人")
    assert event.summary == "通过接口修改当事人" and event.to_state == ""
    # The archiving event stays the only move into "archived".
    assert list(archived.events.values_list("to_state", flat=True)).count(CaseState.ARCHIVED) == 1


def test_workflow_steps_on_an_archived_case_are_refused_and_the_attempt_recorded(world, archived):
    from cases.readonly import record_refusal

    with pytest.raises(WorkflowError) as excinfo:
        workflow.archive_case(archived, world.handler1, archived_on=D(2026, 4, 2))
    assert excinfo.value.rule_code == "case_archived"
    assert "案件已归档" in excinfo.value.text
    event = record_refusal(excinfo.value, world.handler1)
    assert event is not None and event.case_id == archived.pk
