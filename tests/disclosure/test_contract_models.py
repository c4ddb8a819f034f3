"""The contract tables (CONTRACTS.md) exist with their binding fields and choice values."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Complaint, ComplaintKind, ComplaintState, DisclosureState, PenaltyDisclosure
from tests.cases.factories import decided_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTRACT_DISCLOSURE_FIELDS = [
    "case", "agency", "decided_on", "publish_due_on", "published_at", "state", "withdraw_due_on", "withdrawn_at",
]
CONTRACT_COMPLAINT_FIELDS = [
    "tracking_code", "kind", "received_at", "region", "agency", "power_item", "state", "accept_due_on",
    "accepted_on", "case",
]


def test_contract_fields_and_choice_values_exist():
    disclosure_fields = {f.name for f in PenaltyDisclosure._meta.get_fields()}
    complaint_fields = {f.name for f in Complaint._meta.get_fields()}
    assert set(CONTRACT_DISCLOSURE_FIELDS) <= disclosure_fields
    assert set(CONTRACT_COMPLAINT_FIELDS) <= complaint_fields
    assert {"pending", "published", "withdrawn", "expired", "exempt"} <= set(DisclosureState.values)
    assert {"received", "accepted", "rejected", "transferred", "closed"} <= set(ComplaintState.values)
    assert set(ComplaintKind.values) == {"complaint", "report"}


def test_a_case_reaches_its_disclosures_and_complaints_by_the_contract_names(world):
    case = decided_case(world)
    party = case.parties.get()
    disclosure = PenaltyDisclosure.objects.create(
        case=case,
        party=party,
        agency=case.agency,
        region_path=case.agency.region.path,
        decided_on=case.decided_on,
        publish_due_on=datetime.date(2026, 3, 11),
    )
    complaint = Complaint.objects.create(
        tracking_code="TEST-0001",
        kind=ComplaintKind.REPORT,
        region=case.agency.region,
        agency=case.agency,
        subject_name="某公司",
        title="销售过期食品",
        content="货架上有过期牛奶。",
        case=case,
    )
    assert list(case.disclosures.all()) == [disclosure]
    assert list(case.complaints.all()) == [complaint]
    assert disclosure.state == DisclosureState.PENDING
    assert complaint.state == ComplaintState.RECEIVED
    assert timezone.is_aware(complaint.received_at)


def test_one_disclosure_record_per_party_of_a_decision(world):
    case = decided_case(world)
    party = case.parties.get()
    fields = dict(case=case, party=party, agency=case.agency, region_path="x/", decided_on=case.decided_on)
    PenaltyDisclosure.objects.create(**fields)
    with pytest.raises(IntegrityError):
        PenaltyDisclosure.objects.create(**fields)


def test_the_admin_lists_disclosures_and_complaints(client, world):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("penaltydisclosure", "complaint"):
        response = client.get(reverse(f"admin:disclosure_{name}_changelist"))
        assert response.status_code == 200
