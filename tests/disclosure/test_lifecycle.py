"""Withdrawal, correction and expiry of published records, each in the ledger."""

import datetime
import json
from decimal import Decimal

import pytest

from cases.models import RemedyKind, RemedyOutcome
from cases.workflow import record_remedy, record_remedy_outcome
from disclosure import publishing
from disclosure.models import DisclosureActionKind, DisclosureState, PenaltyDisclosure
from disclosure.publishing import DisclosureError
from disclosure.tasks import expire
from lawenforce.models import LedgerEntry
from tests.cases.factories import decided_case
from tests.disclosure.factories import PERSON_ID, PERSON_PHONE, decided_via_workflow, person_fields

pytestmark = pytest.mark.django_db


def published(world, **kwargs):
    case = decided_case(world, **kwargs)
    return publishing.build_for_case(case.pk).get()


def _ledger_leaf(index):
    return json.loads(bytes(LedgerEntry.objects.get(index=index).leaf))


def test_an_overturned_remedy_withdraws_the_record_within_three_working_days(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = decided_via_workflow(world)
    record = case.disclosures.get()
    assert record.state == DisclosureState.PUBLISHED
    remedy = record_remedy(
        case, world.handler1, kind=RemedyKind.RECONSIDERATION, filed_on=datetime.date(2026, 9, 1), body="济宁市人民政府"
    )
    with django_capture_on_commit_callbacks(execute=True):
        # Decided on the last working day before National Day: 3 working days are 8, 9, 10 October.
        record_remedy_outcome(
            remedy, world.handler1, outcome=RemedyOutcome.REVOKED, outcome_on=datetime.date(2026, 9, 30)
        )
    record.refresh_from_db()
    assert record.state == DisclosureState.WITHDRAWN
    assert record.withdraw_due_on == datetime.date(2026, 10, 10)
    assert record.withdrawn_at is not None
    assert "撤销" in record.withdraw_reason and "第四十八条第二款" in record.withdraw_reason
    assert not PenaltyDisclosure.objects.public().filter(pk=record.pk).exists()
    notice = record.public_notice()
    assert "已于" in notice and "撤下" in notice and "撤销" in notice
    action = record.actions.get(kind=DisclosureActionKind.WITHDRAW)
    assert _ledger_leaf(action.ledger_index)["payload"]["action"] == "withdraw"


def test_an_upheld_decision_stays_published(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = decided_via_workflow(world)
    remedy = record_remedy(
        case, world.handler1, kind=RemedyKind.LITIGATION, filed_on=datetime.date(2026, 6, 1), body="任城区人民法院"
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_remedy_outcome(
            remedy, world.handler1, outcome=RemedyOutcome.UPHELD, outcome_on=datetime.date(2026, 8, 3)
        )
    assert case.disclosures.get().state == DisclosureState.PUBLISHED


def test_manual_withdrawal_needs_a_reason(world):
    record = published(world)
    with pytest.raises(DisclosureError) as refused:
        publishing.withdraw_record(record, actor=world.head, reason="  ")
    assert "理由" in refused.value.text and "第四十八条第二款" in refused.value.text
    publishing.withdraw_record(record, actor=world.head, reason="本机关自行撤销原处罚决定。")
    record.refresh_from_db()
    assert record.state == DisclosureState.WITHDRAWN
    with pytest.raises(DisclosureError):
        publishing.withdraw_record(record, actor=world.head, reason="再次撤下")


def test_a_withdrawal_dated_in_the_future_is_refused_by_the_service(world):
    record = published(world)
    now = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)
    with pytest.raises(DisclosureError) as refused:
        publishing.withdraw_record(
            record, actor=world.head, reason="本机关撤销原决定", fell_on=datetime.date(2026, 11, 3), now=now
        )
    assert refused.value.rule_code == "fell_on_future" and "不能晚于今天" in refused.value.text
    record.refresh_from_db()
    assert record.state == DisclosureState.PUBLISHED


def test_the_public_copy_is_built_in_the_site_language_whatever_the_request_language(world):
    from django.utils import translation

    case = decided_case(world, decision_text="")
    with translation.override("en"):
        record = publishing.build_for_case(case.pk).get()
    assert record.penalty_content == "罚款10,000.00元"


def test_a_correction_keeps_the_previous_version(world):
    record = published(world)
    first_json, first_digest = record.public_json, record.digest
    publishing.correct_record(
        record, actor=world.head, reason="罚款金额录入错误", changes={"fine_amount": Decimal("12000.00")}
    )
    record.refresh_from_db()
    assert record.revision == 1 and record.corrected_at is not None
    assert record.fine_amount == Decimal("12000.00")
    assert json.loads(record.public_json)["fine_amount"] == "12000.00"
    assert record.digest != first_digest
    action = record.actions.get(kind=DisclosureActionKind.CORRECT)
    assert action.previous_json == first_json and action.revision == 1 and action.reason == "罚款金额录入错误"
    assert _ledger_leaf(action.ledger_index)["payload"]["digest"] == record.digest
    assert "更正" in record.public_notice()


def test_serious_dishonesty_lengthens_the_period(world):
    record = published(world, decided_on=datetime.date(2026, 3, 2))
    assert record.publish_until == datetime.date(2027, 3, 2)
    publishing.correct_record(record, actor=world.head, reason="认定为严重失信", changes={"serious": True})
    record.refresh_from_db()
    assert record.publish_until == datetime.date(2029, 3, 2)


def test_a_correction_cannot_bring_personal_data_back(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = decided_via_workflow(world, parties=[person_fields()])
    record = case.disclosures.get()
    for field, value in [
        ("facts", f"当事人身份证号{PERSON_ID}"),
        ("remarks", f"联系电话 {PERSON_PHONE}"),
        ("party_name", "张三丰"),
    ]:
        with pytest.raises(DisclosureError) as refused:
            publishing.correct_record(record, actor=world.head, reason="补充", changes={field: value})
        assert refused.value.field == field and "第五十条" in refused.value.text
    record.refresh_from_db()
    assert record.revision == 0 and record.party_name == "张某某"


def test_a_correction_that_changes_nothing_is_refused(world):
    record = published(world)
    with pytest.raises(DisclosureError):
        publishing.correct_record(record, actor=world.head, reason="无", changes={"facts": record.facts})


def test_expiry_takes_the_record_out_of_search_and_keeps_it_in_the_archive(world):
    old = published(world, decided_on=datetime.date(2025, 10, 9))
    current = published(world, decided_on=datetime.date(2026, 3, 2))
    assert old.publish_until == datetime.date(2026, 10, 9)
    # Before the task runs, the date test already keeps it out of search.
    assert set(PenaltyDisclosure.objects.public()) == {current}
    assert expire.delay().get() == 1
    old.refresh_from_db()
    assert old.state == DisclosureState.EXPIRED and old.expired_at is not None
    assert old.actions.filter(kind=DisclosureActionKind.EXPIRE, ledger_index__isnull=False).exists()
    assert "届满" in old.public_notice()
    assert set(PenaltyDisclosure.objects.filter(agency=world.agency)) == {old, current}  # the archive
    assert publishing.expire_due() == 0  # nothing twice


def test_the_daily_catch_up_builds_what_a_lost_event_missed(world):
    from disclosure.tasks import catch_up

    case = decided_case(world)
    assert catch_up.delay().get() == 1
    assert case.disclosures.get().state == DisclosureState.PUBLISHED
    assert catch_up.delay().get() == 0


def test_an_overturned_decision_not_yet_published_is_never_published(world):
    from cases.models import Remedy

    case = decided_case(world)
    record = publishing.build_for_case(case.pk, publish=False).get()
    remedy = Remedy.objects.create(
        case=case,
        kind=RemedyKind.LITIGATION,
        body="任城区人民法院",
        filed_on=datetime.date(2026, 3, 20),
        outcome=RemedyOutcome.CONFIRMED_UNLAWFUL,
        outcome_on=datetime.date(2026, 6, 1),
        overturned=True,
        recorded_by=world.handler1,
    )
    publishing.withdraw_overturned(case.pk, remedy.pk)
    record.refresh_from_db()
    assert record.state == DisclosureState.EXEMPT and "确认违法" in record.exempt_note
    with pytest.raises(DisclosureError):
        publishing.withdraw_record(record, reason="再撤")


def test_the_ledger_and_the_records_still_verify_after_a_life(world):
    import io

    from django.core.management import call_command

    record = published(world)
    publishing.correct_record(record, actor=world.head, reason="更正", changes={"remarks": "补充"})
    publishing.withdraw_record(record, actor=world.head, reason="本机关撤销原决定")
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)  # the tree, and every history row against its leaf
    assert record.actions.count() == 4
    assert LedgerEntry.objects.filter(kind="disclosure", object_pk=str(record.pk)).count() == 4
