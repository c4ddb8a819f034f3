import pytest

from tests import factories


@pytest.fixture
def regions(db):
    return factories.region_tree()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The calendar caches admin overrides per process; a test's rollback sends no delete signal."""
    from lawenforce import calendar

    calendar.clear_cache()
    yield
    calendar.clear_cache()
