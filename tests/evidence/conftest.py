import pytest

from tests.cases.factories import agency_world


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a few seconds (large uploads)")


@pytest.fixture
def world(regions):
    return agency_world(regions)


@pytest.fixture(autouse=True)
def _evidence_urls_and_media(settings, tmp_path):
    """Evidence routes mounted, uploads into a fresh media folder, the local file system as storage."""
    settings.ROOT_URLCONF = "tests.evidence.urls"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = None
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
