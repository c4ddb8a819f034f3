"""Configuration from the environment: safe defaults, and production refuses unsafe ones."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    """Import the settings module in a fresh interpreter with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET"}}
    clean.update(env)
    code = (
        "import json, lawenforce.settings as s;"
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
        "'storage': s.STORAGES['default']['BACKEND'], 'secure': s.SESSION_COOKIE_SECURE,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'tz': s.TIME_ZONE, 'lang': s.LANGUAGE_CODE}))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_defaults_are_sqlite_eager_tasks_and_local_files():
    import json

    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["storage"] == "django.core.files.storage.FileSystemStorage"
    assert values["tz"] == "Asia/Shanghai" and values["lang"] == "zh-hans"


def test_production_settings_use_secure_cookies_and_the_configured_services():
    import json

    result = load_settings(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@db:5432/lawenforce",
        REDIS_URL="redis://redis:6379/0",
        S3_BUCKET="lawenforce",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["secure"] is True and values["csrf_secure"] is True
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["storage"] == "storages.backends.s3.S3Storage"
