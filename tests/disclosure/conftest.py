import pytest

from tests.cases.factories import agency_world


@pytest.fixture
def world(regions):
    return agency_world(regions)
