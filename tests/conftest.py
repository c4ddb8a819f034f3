import pytest

from tests import factories

# browser, page and phone: headless Chromium against the live server (tests/e2e, public-site tests).
pytest_plugins = ["tests.browser_fixtures"]


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


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """A test that renders English must not leave English active for the next one."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2's deliberate slowness is for production; in tests it only costs minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files written by a test (documents, dossiers, evidence) go to its own folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
