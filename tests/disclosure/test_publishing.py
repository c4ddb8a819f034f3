"""Publication on decision: one masked record per party, sealed, in the ledger, on time."""

import datetime
import json
from decimal import Decimal

import pytest

from cases.models import DecisionKind
from disclosure import masking, policy, publishing
from disclosure.models import DisclosureActionKind, DisclosureState, ExemptReason, PenaltyDisclosure
from lawenforce.ledger import log as ledger
from lawenforce.ledger import merkle
from lawenforce.models import LedgerEntry
from tests.cases.factories import decided_case, org_party_fields, resident_id
from tests.disclosure.factories import (
    LEAKY_FACTS,
    PERSON_ADDRESS,
    PERSON_ID,
    PERSON_PHONE,
    decided_via_workflow,
    person_fields,
)

pytestmark = pytest.mark.django_db


def _published_text(record):
    """The published copy without its random public id (a UUID's digits can look like a phone number)."""
    data = json.loads(record.public_json)
    data.pop("public_id")
    return json.dumps(data, ensure_ascii=False)


def _decide(world, capture, **kwargs):
    with capture(execute=True):
        case = decided_via_workflow(world, **kwargs)
    return case


def test_a_penalty_decision_publishes_one_masked_record_per_party(world, django_capture_on_commit_callbacks):
    case = _decide(
        world,
        django_capture_on_commit_callbacks,
        parties=[org_party_fields(), person_fields()],
        facts=LEAKY_FACTS,
        decision_text=f"责令改正。联系电话{PERSON_PHONE}。",
    )
    records = list(PenaltyDisclosure.objects.filter(case=case).order_by("pk"))
    assert [r.state for r in records] == [DisclosureState.PUBLISHED, DisclosureState.PUBLISHED]
    company, person = records
    assert company.party_name == "济宁某某食品有限公司"
    assert company.party_uscc == "91330100799655058B"
    assert company.legal_representative == "王某"
    assert person.party_name == "张某某"
    assert person.party_category == "natural_person"
    assert person.party_uscc == ""
    for record in records:
        assert record.decision_number == case.decision_number
        assert record.fine_amount == Decimal("60000.00")
        assert record.basis == "《中华人民共和国食品安全法》第一百二十四条第一款"
        assert record.agency_name == world.agency.name and record.agency_uscc == world.agency.uscc
        assert record.decided_on == datetime.date(2026, 4, 13)
        assert record.published_at is not None
        # Nothing personal of the natural person anywhere in the public copy, in any form.
        for text in (record.public_json, record.facts, record.penalty_content, record.name_grams):
            for secret in (PERSON_ID, PERSON_PHONE, PERSON_ADDRESS, "张三丰", "１３８", "19900101"):
                assert secret not in text
        assert masking.leaks(_published_text(record), case.parties.all()) == []
        assert masking.ID_MASK in record.facts and masking.PHONE_MASK in record.facts
        assert record.penalty_content == f"责令改正。联系电话{masking.PHONE_MASK}。"
        assert masking.ADDRESS_MASK in record.facts


def test_the_public_copy_is_sealed_and_every_step_is_in_the_ledger(world, django_capture_on_commit_callbacks):
    case = _decide(world, django_capture_on_commit_callbacks)
    record = case.disclosures.get()
    body = record.public_json.encode()
    assert json.loads(body)["decision_number"] == case.decision_number
    assert record.digest_algorithm == ledger.algorithm()
    assert record.digest == merkle.hash_function(record.digest_algorithm)(body).hex()
    actions = list(record.actions.all())
    assert [a.kind for a in actions] == [DisclosureActionKind.BUILD, DisclosureActionKind.PUBLISH]
    for action in actions:
        entry = LedgerEntry.objects.get(index=action.ledger_index)
        leaf = json.loads(bytes(entry.leaf))
        assert entry.kind == "disclosure"
        assert leaf["payload"]["public_id"] == str(record.public_id)
        assert leaf["payload"]["digest"] == record.digest
    assert record.ledger_index == actions[-1].ledger_index
    assert record.name_grams.split(" ")[:3] == ["济", "宁", "某"]


def test_building_twice_adds_nothing(world, django_capture_on_commit_callbacks):
    case = _decide(world, django_capture_on_commit_callbacks)
    publishing.build_for_case(case.pk)
    assert case.disclosures.count() == 1
    assert case.disclosures.get().actions.count() == 2


def test_publication_deadline_is_seven_working_days_across_national_day(world):
    # Decided the day before the 2026 National Day holiday (1–7 October; Saturday 10 October is a
    # make-up working day): 8, 9, 10, 12, 13, 14, 15 October.
    case = decided_case(world, decided_on=datetime.date(2026, 9, 30))
    record = publishing.build_for_case(case.pk, publish=False).get()
    assert record.publish_due_on == datetime.date(2026, 10, 15)
    assert record.publish_until == datetime.date(2027, 9, 30)
    publishing.publish_record(record, now=datetime.datetime(2026, 10, 15, 9, tzinfo=datetime.UTC))
    record.refresh_from_db()
    assert not record.is_late  # on the last day, in Shanghai time


def test_an_unknown_holiday_year_leaves_the_deadline_open(world):
    case = decided_case(world, decided_on=datetime.date(2026, 3, 2))
    case.decided_on = datetime.date(2031, 3, 3)
    case.save()
    record = publishing.build_for_case(case.pk, publish=False).get()
    assert record.publish_due_on is None  # lawenforce.calendar.UnknownCalendarYear: not guessed
    assert record.state == DisclosureState.PENDING


def test_a_late_publication_stays_visible(world):
    case = decided_case(world, decided_on=datetime.date(2026, 3, 2))
    record = publishing.build_for_case(case.pk, publish=False).get()
    assert record.publish_due_on == datetime.date(2026, 3, 11)
    assert record.is_late  # pending, past the due day (today is later in 2026)
    publishing.publish_record(record, now=datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC))
    record.refresh_from_db()
    assert record.state == DisclosureState.PUBLISHED and record.is_late


def test_publication_period_is_configurable_in_one_place(world, settings):
    settings.DISCLOSURE = {"PERIOD_MONTHS": 3}
    assert policy.publish_until(datetime.date(2026, 11, 30)) == datetime.date(2027, 2, 28)
    assert policy.publish_until(datetime.date(2026, 1, 31), serious=True) == datetime.date(2029, 1, 31)


def test_a_decision_not_to_punish_is_exempt(world, django_capture_on_commit_callbacks):
    case = _decide(world, django_capture_on_commit_callbacks, kind=DecisionKind.NO_PENALTY_FIRST, fine=None)
    record = case.disclosures.get()
    assert record.state == DisclosureState.EXEMPT
    assert record.exempt_reason == ExemptReason.NOT_A_PENALTY
    assert record.exempt_note
    assert not PenaltyDisclosure.objects.public().filter(pk=record.pk).exists()
    assert [a.kind for a in record.actions.all()] == [DisclosureActionKind.BUILD, DisclosureActionKind.EXEMPT]


def test_a_warning_alone_is_exempt(world):
    case = decided_case(world, fine=None)  # the factory gives a warning when there is no fine
    record = publishing.build_for_case(case.pk).get()
    assert record.state == DisclosureState.EXEMPT
    assert record.exempt_reason == ExemptReason.WARNING_ONLY
    assert record.exempt_note
    assert not PenaltyDisclosure.objects.public().filter(pk=record.pk).exists()
    assert [a.kind for a in record.actions.all()] == [DisclosureActionKind.BUILD, DisclosureActionKind.EXEMPT]


def test_a_minor_is_never_published(world):
    case = decided_case(world, violation_date=datetime.date(2026, 1, 10))
    party = case.parties.get()
    party.kind, party.name, party.uscc = "natural_person", "李小明", ""
    party.id_number = resident_id("37081120100101123")  # born 2010: 16 at the violation
    party.birth_date = None
    party.save()
    record = publishing.build_for_case(case.pk).get()
    assert record.state == DisclosureState.EXEMPT and record.exempt_reason == ExemptReason.MINOR


def test_a_low_fine_is_not_published_and_the_threshold_is_configurable(world, settings):
    low = decided_case(world, fine=Decimal("3000"))
    assert publishing.build_for_case(low.pk).get().exempt_reason == ExemptReason.LOW_FINE
    settings.DISCLOSURE = {"LOW_FINE": {"person": Decimal("0"), "organisation": Decimal("0")}}
    other = decided_case(world, fine=Decimal("3000"))
    assert publishing.build_for_case(other.pk).get().state == DisclosureState.PUBLISHED


def test_an_on_the_spot_decision_is_built_and_exempt(world, django_capture_on_commit_callbacks):
    from tests.cases.test_summary import decide as on_the_spot

    with django_capture_on_commit_callbacks(execute=True):
        case = on_the_spot(world)
    record = case.disclosures.get()
    assert record.state == DisclosureState.EXEMPT
    assert record.exempt_reason in (ExemptReason.LOW_FINE, ExemptReason.WARNING_ONLY)


def test_a_step_that_is_not_a_decision_builds_nothing(world, django_capture_on_commit_callbacks):
    from tests.cases.factories import filed_via_workflow

    with django_capture_on_commit_callbacks(execute=True):
        case = filed_via_workflow(world)
    assert not case.disclosures.exists()
    assert publishing.build_for_case(case.pk) == []


def test_a_name_the_law_requires_is_published_whole(world, settings):
    settings.DISCLOSURE = {"NAME_BY_LAW_ITEMS": {world.power_item.code}}
    case = decided_case(world)
    party = case.parties.get()
    party.kind, party.name, party.uscc, party.id_number = "natural_person", "张三丰", "", resident_id()
    party.save()
    record = publishing.build_for_case(case.pk).get()
    assert record.party_name == "张三丰" and record.party_uscc == ""
