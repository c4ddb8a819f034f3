"""The demo's disclosure records come from the pipeline, are masked, and can be loaded twice."""

import io
import json

import pytest
from django.core.management import call_command

from disclosure import masking
from disclosure.models import DisclosureState, PenaltyDisclosure

pytestmark = pytest.mark.django_db


def _published_text(record):
    """The published copy without its random public id (a UUID's digits can look like a phone number)."""
    data = json.loads(record.public_json)
    data.pop("public_id")
    return json.dumps(data, ensure_ascii=False)


def test_seed_demo_disclosure_publishes_the_demo_decisions_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    call_command("seed_demo_disclosure", stdout=io.StringIO())
    states = set(PenaltyDisclosure.objects.values_list("state", flat=True))
    assert {
        DisclosureState.PUBLISHED,
        DisclosureState.WITHDRAWN,
        DisclosureState.EXPIRED,
        DisclosureState.EXEMPT,
    } <= states
    assert PenaltyDisclosure.objects.filter(revision__gt=0).exists()
    assert PenaltyDisclosure.objects.public().count() >= 5
    for record in PenaltyDisclosure.objects.select_related("case"):
        parties = list(record.case.parties.all())
        assert masking.leaks(_published_text(record), parties) == [], record.decision_number
        for party in parties:
            for secret in (party.id_number, party.phone):
                assert not secret or secret not in record.public_json
    count = PenaltyDisclosure.objects.count()
    out = io.StringIO()
    call_command("seed_demo_disclosure", stdout=out)
    assert PenaltyDisclosure.objects.count() == count
    assert "新增公示记录 0 条" in out.getvalue()
