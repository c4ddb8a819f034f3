"""Settings for the enforcement platform.

Every value comes from an environment variable with an embedded default that makes
`make run` work on a fresh machine (SQLite, in-process Celery, local media folder).
Production is simply DEBUG off: it then refuses to start without SECRET_KEY and turns
on secure cookies and HSTS. See README "Configuration".
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY 未设置：生产环境（DEBUG 关闭）必须通过环境变量 SECRET_KEY 提供密钥。"
            " Set SECRET_KEY, or DEBUG=1 for development."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "axes",
    "lawenforce",
    "cases",
    "evidence",
    "disclosure",
    "supervision",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lawenforce.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lawenforce.urls"
WSGI_APPLICATION = "lawenforce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lawenforce.context_processors.navigation",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out client before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lawenforce.passwords.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "public-home"

# Lock an account-and-client pair after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# API clients get a JSON answer when locked out, browsers the locked-out page.
AXES_LOCKOUT_CALLABLE = "lawenforce.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None

# --- Internationalisation: zh-Hans first, English kept working.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (all local; no CDN) and media.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# In development WhiteNoise serves straight from the app folders; production serves collectstatic's output.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Object storage through django-storages when a bucket is configured, local folder otherwise.
AWS_STORAGE_BUCKET_NAME = os.environ.get("S3_BUCKET", "")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "addressing_style": "path",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

from celery.schedules import crontab  # noqa: E402  (the beat schedule below)

# --- Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_IMPORTS = ["lawenforce.ledger.tasks"]
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "expire-certificates-daily": {
        "task": "lawenforce.tasks.expire_certificates",
        "schedule": 60 * 60 * 24,
    },
    # A signed checkpoint of the ledger every hour (and on demand: manage.py make_checkpoint).
    "ledger-checkpoint-hourly": {
        "task": "lawenforce.ledger.tasks.make_checkpoint",
        "schedule": 60 * 60,
    },
    # Supervision (issue 6): the schedule rules every night, then the dashboard figures; every
    # rule once a week as a backstop for cases that arrived without events (imports, restores).
    "supervision-sweep-nightly": {
        "task": "supervision.sweep",
        "schedule": crontab(hour=1, minute=30),
    },
    "supervision-sweep-all-weekly": {
        "task": "supervision.sweep",
        "schedule": crontab(hour=3, minute=0, day_of_week="sunday"),
        "kwargs": {"all_rules": True},
    },
}

# Enforcement analytics (issue 7): the incremental queue once a minute (a safety net behind the
# event receivers) and the nightly full recompute of the year (analytics/README.md).
CELERY_BEAT_SCHEDULE.update(
    {
        "analytics-refresh-every-minute": {"task": "analytics.tasks.refresh_dirty", "schedule": 60},
        "analytics-recompute-nightly": {"task": "analytics.tasks.nightly", "schedule": 60 * 60 * 24},
    }
)
# Disclosure platform (issue 5): the drafts of last year's annual statistics on 1 January (T-annual).
CELERY_BEAT_SCHEDULE["disclosure-annual-reports-january"] = {
    "task": "disclosure.tasks.build_annual_reports",
    "schedule": crontab(hour=0, minute=30, day_of_month=1, month_of_year=1),
}
# Ex-post disclosure (issue 5): overrides of disclosure/policy.py DEFAULTS (publication and
# withdrawal working days, publication periods in months, low-fine thresholds, auto-publish).
DISCLOSURE = {}
# Records past their publication period leave public search; a
# backstop builds the records of decisions whose event was lost (disclosure/README.md).
CELERY_BEAT_SCHEDULE.update(
    {
        "disclosure-expire-daily": {"task": "disclosure.expire", "schedule": crontab(hour=0, minute=10)},
        "disclosure-catch-up-daily": {"task": "disclosure.catch_up", "schedule": crontab(hour=0, minute=20)},
    }
)
# Seconds a worker waits after an event before the incremental refresh, so a burst is one run.
ANALYTICS_REFRESH_DELAY = int(os.environ.get("ANALYTICS_REFRESH_DELAY", "10"))
# Risk thresholds per rule (analytics/risks.py), e.g. {"low_complaint_case_rate": {"threshold": 0.7}}.
ANALYTICS_RISK_THRESHOLDS = {}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- Security: secure cookies and HSTS whenever DEBUG is off.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# --- JSON API (/api/v1/): session for the browser, token for mobile terminals.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # The anonymous public API (disclosure/api_public.py): requests per client, counted in the cache.
    "DEFAULT_THROTTLE_RATES": {"public_penalties": os.environ.get("PUBLIC_API_RATE", "60/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "行政执法综合管理平台 API",
    "DESCRIPTION": "Case handling for mobile terminals and integrations: the same workflow, checks and data scope as the browser.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the sidecar package: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Case handling: numbers the law leaves to ministries and provinces (see cases/rules.py).
# Days within which an on-the-spot (summary) decision is reported to the agency, per sector.
# Working days; "default" applies to sectors not listed. 3 follows the market-regulation procedural rules.
SUMMARY_REPORT_DAYS = {"default": 3}
# Upload limits for documents and evidence, in bytes.
MAX_UPLOAD_SIZE = int(os.environ.get("MAX_UPLOAD_SIZE", str(2 * 1024**3)))

# --- Complaints from the public (disclosure/complaints, issue 5): smaller limits than for officers.
COMPLAINT_MAX_UPLOAD_SIZE = int(os.environ.get("COMPLAINT_MAX_UPLOAD_SIZE", str(20 * 1024**2)))  # per file
COMPLAINT_MAX_FILES = int(os.environ.get("COMPLAINT_MAX_FILES", "5"))
# Per client IP, django-ratelimit syntax ("count/period"), counted in the default cache.
COMPLAINT_SUBMIT_RATE = os.environ.get("COMPLAINT_SUBMIT_RATE", "5/h")
COMPLAINT_TRACK_RATE = os.environ.get("COMPLAINT_TRACK_RATE", "20/h")
# Behind a reverse proxy the client is not REMOTE_ADDR: name the header the proxy sets (e.g.
# "HTTP_X_REAL_IP"), or every visitor shares the proxy's limit.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
# USCC of the agency that receives a complaint no agency of the region can be found for (empty: the
# nearest justice bureau, else unrouted and listed for the system administrator).
COMPLAINT_DEFAULT_AGENCY = os.environ.get("COMPLAINT_DEFAULT_AGENCY", "")

# --- The ledger (lawenforce/ledger/README.md): "gm" = SM3 tree + SM2 checkpoints (default),
# "intl" = SHA-256 tree + Ed25519 checkpoints. A log keeps the profile it started with.
LEDGER_PROFILE = os.environ.get("LEDGER_PROFILE", "gm")
LEDGER_ORIGIN = os.environ.get("LEDGER_ORIGIN", "")
LEDGER_SIGNING_KEY = os.environ.get("LEDGER_SIGNING_KEY", "")
LEDGER_SALT = os.environ.get("LEDGER_SALT", "")
# An RFC 3161 time-stamping authority for checkpoints (empty: no time-stamps).
LEDGER_TSA_URL = os.environ.get("LEDGER_TSA_URL", "")
# Worker processes for manage.py verify_ledger (whole chunks hashed in parallel; 1: one process).
LEDGER_VERIFY_PROCESSES = int(os.environ.get("LEDGER_VERIFY_PROCESSES") or os.cpu_count() or 1)

# django-guardian: no anonymous user row; the public needs no account.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every successful login at INFO; lockouts still come through as warnings.
    "loggers": {
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
        # WeasyPrint and fontTools narrate every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
