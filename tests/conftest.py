import pytest

from tests import factories


@pytest.fixture
def regions(db):
    return factories.region_tree()
