import pytest

from tests.cases.factories import PartyFactory, PersonPartyFactory

pytestmark = pytest.mark.django_db


def test_the_case_world_is_valid(world):
    for obj in (world.agency, world.head, world.power_item, world.standard):
        obj.full_clean()
    assert world.handler1.valid_certificate(category=world.category)
    assert world.uncertified.valid_certificate() is None


def test_party_factories_build_valid_parties(world):
    PartyFactory(case__agency=world.agency).full_clean()
    PersonPartyFactory(case__agency=world.agency).full_clean()
