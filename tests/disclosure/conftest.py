import pytest

from tests.cases.factories import agency_world


@pytest.fixture
def world(regions):
    return agency_world(regions)


@pytest.fixture(autouse=True)
def _fresh_search_choices():
    """The public search caches its option lists per process; a test's rollback sends no signal."""
    from disclosure import search_choices

    search_choices.clear_cache()
    yield
    search_choices.clear_cache()
