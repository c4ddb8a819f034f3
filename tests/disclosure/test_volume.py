"""seed_public_records / disclosure.volume: deterministic, realistic, consistent generated records."""

import collections

import pytest
from django.core.management import call_command

from disclosure import grams, verification, volume
from disclosure.models import DisclosureState, PartyCategory, PenaltyDisclosure
from lawenforce.ledger import merkle, signing
from lawenforce.validators import validate_uscc

pytestmark = pytest.mark.django_db


def test_the_command_generates_consistent_searchable_records(world, client):
    call_command("seed_public_records", count=400, ledger="no")
    records = list(PenaltyDisclosure.objects.all())
    assert len(records) == 400
    states = collections.Counter(r.state for r in records)
    assert states[DisclosureState.PUBLISHED] > 360
    assert states[DisclosureState.WITHDRAWN] and states[DisclosureState.EXPIRED]
    categories = collections.Counter(r.party_category for r in records)
    assert categories[PartyCategory.LEGAL_PERSON] > categories[PartyCategory.NATURAL_PERSON] > 0
    for r in records:
        raw = r.public_json.encode()
        assert merkle.hash_function(r.digest_algorithm)(raw).hex() == r.digest
        assert r.name_grams == grams.name_grams(r.party_name)
        if r.party_category == PartyCategory.NATURAL_PERSON:
            assert r.party_name.endswith("某某") and not r.party_uscc and len(r.party_name) == 3
        elif r.party_uscc:
            validate_uscc(r.party_uscc)
        if r.state == DisclosureState.WITHDRAWN:
            assert r.withdrawn_at and r.withdraw_reason
    company = next(r for r in records if r.state == DisclosureState.PUBLISHED and r.party_name.endswith("有限公司"))
    part = company.party_name[-6:-4]
    response = client.get("/public/penalties/", {"q": part})
    assert company.party_name in response.content.decode() or "超过" in response.content.decode()


def test_generation_is_deterministic(world):
    volume.generate(50, seed=7)
    first = list(PenaltyDisclosure.objects.order_by("pk").values_list("party_name", "decided_on", "fine_amount"))
    PenaltyDisclosure.objects.all().delete()
    volume.generate(50, seed=7)
    second = list(PenaltyDisclosure.objects.order_by("pk").values_list("party_name", "decided_on", "fine_amount"))
    assert first == second


def test_with_the_ledger_every_published_record_verifies(world, settings, client):
    settings.LEDGER_PROFILE = "gm"
    settings.LEDGER_SIGNING_KEY = signing.SigningKey.generate("zfpt.example.gov.cn/ledger", "sm2").to_string()
    call_command("seed_public_records", count=20, ledger="yes")
    published = PenaltyDisclosure.objects.public()
    assert published.exists()
    for r in published:
        bundle = verification.bundle(r)
        assert verification.check_bundle(bundle) == (True, "ok")
    call_command("seed_public_records", count=20, if_empty=True)
    assert PenaltyDisclosure.objects.count() == 20  # --if-empty: make run twice adds nothing
