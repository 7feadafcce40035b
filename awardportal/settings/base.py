"""Settings shared by every environment.

Production differs from local only through environment variables (django-environ).
Without DATABASE_URL the portal runs on an embedded SQLite file and Celery runs
tasks in-process; with DATABASE_URL and REDIS_URL it uses Postgres and a worker.
"""

import hashlib
from pathlib import Path

import environ
from celery.schedules import crontab

from awardportal.email_url import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The licence of the public open data (the database's JSON and CSV downloads).
OPEN_DATA_LICENCE = env("OPEN_DATA_LICENCE", default="Creative Commons Attribution 4.0 (CC BY 4.0)")
OPEN_DATA_LICENCE_URL = env(
    "OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)

INSTALLED_APPS = [
    # Before the admin: per-language fields of Secretariat-written content.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "rules",
    "csp",
    "django_altcha",
    "accounts",
    "submissions",
    "judging",
    "console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's stored language wins over the cookie.
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireSecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "awardportal.urls"
WSGI_APPLICATION = "awardportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "accounts.context_processors.user_roles",
            ],
        },
    },
]

# Database: embedded SQLite unless DATABASE_URL names a server.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A database server's connections are kept for a minute and reused from request to
# request: opening one (Postgres starts a process for it) costs more than most of our
# pages, which otherwise pay it on every request. SQLite opens a file: nothing to keep.
_SERVER_DB = not DATABASES["default"]["ENGINE"].endswith("sqlite3")
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _SERVER_DB else 0)
)
# A reused connection is checked (SELECT 1) before its first query of a request or a
# task, so one the server dropped is reopened instead of failing the work. A new
# connection is not checked.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
USES_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database serves several threads (runserver, autosave requests):
    # take the write lock at the start of a transaction and wait for it, instead of
    # failing with "database is locked"; WAL lets pages read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SITE_ID = 1

# django-allauth: email is the login; the address must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# The sign-in and registration forms in the portal's words (not the library's).
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guangzhou Award] "
# New accounts keep the language the visitor was reading the portal in (accounts'
# adapter); account emails go in the recipient's language, branded and recorded in the
# outbox (submissions' adapter, built on it).
ACCOUNT_ADAPTER = "submissions.account_adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Two-factor sign-in (allauth.mfa): TOTP apps with recovery codes, and security keys
# or passkeys (WebAuthn). Required for privileged roles (accounts.middleware).
MFA_ADAPTER = "accounts.mfa.PortalMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Guangzhou Award"
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs HTTPS, except on a development server (http://127.0.0.1).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)
ACCOUNT_RATE_LIMITS = env.dict("ACCOUNT_RATE_LIMITS", default={}) or {
    "login_failed": "10/m/ip,5/5m/key",
}

LANGUAGE_CODE = "en"
# The award's four languages: English (working language), Chinese (the host city's),
# French and Spanish (UCLG's). Names are given in their own language for the switcher.
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("fr", "Français"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# What the Secretariat writes once for everybody (a cycle's theme, the criteria) has a
# column per language (django-modeltranslation, see accounts/content_languages.py);
# a language left blank falls back to English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Objects created while another language is active still get their English text.
MODELTRANSLATION_AUTO_POPULATE = "default"
# Date formats of our own where Django's do not suit the award (English: 24-hour clock).
FORMAT_MODULE_PATH = ["awardportal.formats"]
USE_I18N = True
USE_TZ = True
# The award runs on Beijing time; users may pick their own zone in their profile.
TIME_ZONE = "Asia/Shanghai"
AWARD_TIME_ZONE = "Asia/Shanghai"

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files are private: there is no MEDIA_URL route; every file is served
    # through a view that checks the viewer's permission.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("MEDIA_ROOT", default=BASE_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
# Several web and worker machines share uploads through any S3-compatible object
# store (AWS S3, MinIO, Ceph, Cloudflare R2...) when S3_BUCKET is set. Objects stay
# private: the portal streams them through its permission-checked views, and any
# signed URL the storage makes expires after S3_URL_EXPIRY seconds.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            "addressing_style": env("S3_ADDRESSING_STYLE", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("S3_URL_EXPIRY", default=300),
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Caches: CACHE_URL when given; else Redis when REDIS_URL is set (the broker's server);
# else per process (locmem), which suits one process only. The cache must be shared by
# every web process and worker: a solved vote challenge is then refused everywhere, and a
# publication's new generation (submissions.public_cache) reaches every process at once.
if env("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif env("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same, without a new client object per call (awardportal/cache.py).
    CACHES["default"]["BACKEND"] = "awardportal.cache.RedisCache"
    # Each web process keeps a copy of the public pages and data it read from Redis
    # (submissions.public_cache): a cached page then costs one round trip, not two or
    # three. At most this many entries (pages of some 40 KB) per process.
    CACHES["public_local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-local",
        "OPTIONS": {"MAX_ENTRIES": 400},
    }

# ALTCHA: the self-hosted proof-of-work challenge of the public vote form. The widget is
# the CSP-friendly build vendored in static/vendor/altcha (no inline script or style).
ALTCHA_HMAC_KEY = env(
    "ALTCHA_HMAC_KEY", default=hashlib.sha256(f"altcha:{SECRET_KEY}".encode()).hexdigest()
)
ALTCHA_JS_URL = "vendor/altcha/altcha.js"
# How hard the challenge is: a browser tries up to this many hashes (about a second).
VOTE_CHALLENGE_MAX_NUMBER = env.int("VOTE_CHALLENGE_MAX_NUMBER", default=1_000_000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console locally, SMTP from EMAIL_URL in production. Every key django-environ
# reads from the URL is kept (awardportal.email_url), e.g. the folder of filemail:///x.
EMAIL_USE_TLS = EMAIL_USE_SSL = False
globals().update(email_settings(env("EMAIL_URL", default="consolemail://")))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Guangzhou Award Secretariat <secretariat@guangzhouaward.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
# Workers keep their database connection from task to task. Celery's Django fix-up
# otherwise closes it before and after every task (CONN_MAX_AGE does not change that),
# and opening a Postgres connection costs more than most of our tasks. The fix-up
# recycles it every CELERY_DB_REUSE_MAX tasks; awardportal.celery_app checks it before
# each task, so a connection the server dropped is reopened (0 closes it every task).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
# A broker that is down must not slow a request: the on-commit dispatch gives up at
# once (connect timeout 0.5 s, no publish retries), the failure is logged and the
# sweep routes the work later. Workers still wait for the broker and reconnect.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # workers: reconnect forever
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
    "max_retries": 0,
}
# The database is the truth: sweeps re-dispatch whatever the broker may have lost.
# Every 30 s, so that after a worker restart or an emptied broker the lost work is
# redone within 90 s (submissions.tasks.SWEEP_GRACE + the interval).
CELERY_BEAT_SCHEDULE = {
    "submissions-sweep": {
        "task": "submissions.tasks.sweep_unfinished_work",
        "schedule": 30.0,
    },
    "judging-sweep": {
        "task": "judging.tasks.sweep_unfinished_work",
        "schedule": 30.0,
    },
    "judging-daily-reminders": {
        "task": "judging.tasks.send_daily_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "judging-sweep-export-jobs": {
        "task": "judging.export_tasks.sweep_export_jobs",
        "schedule": 300.0,
    },
    "judging-purge-voter-data": {
        "task": "judging.privacy_tasks.purge_voter_data",
        "schedule": crontab(hour=3, minute=30),
    },
    "submissions-publish-scheduled": {
        "task": "submissions.publishing_tasks.publish_scheduled_results",
        "schedule": 60.0,
    },
    # The outbox: queued emails no worker sent, announcements due, city reminders.
    "submissions-sweep-outbox": {
        "task": "submissions.outbox_tasks.sweep_outbox",
        "schedule": 120.0,
    },
    "judging-send-due-announcements": {
        "task": "judging.announcement_tasks.send_due_announcements",
        "schedule": 60.0,
    },
    # The open-data files of the current publication generation, where a build was
    # lost (the downloads stream meanwhile).
    "submissions-open-data-files": {
        "task": "submissions.open_data_tasks.sweep_open_data_files",
        "schedule": 60.0,
    },
    "submissions-city-reminders": {
        "task": "submissions.outbox_tasks.send_city_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
}

# Privacy: voters' emails are hashed and their IPs deleted this long after a vote closes.
VOTER_DATA_RETENTION_DAYS = env.int("VOTER_DATA_RETENTION_DAYS", default=30)

# Content-Security-Policy: no inline scripts or styles anywhere in the templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # In-process tasks would log every run; a worker logs its own.
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
    },
}

# Task modules beyond each app's tasks.py (found by autodiscovery).
CELERY_IMPORTS = [
    "submissions.publishing_tasks",
    "judging.export_tasks",
    "judging.privacy_tasks",
    "submissions.outbox_tasks",
    "judging.announcement_tasks",
    "submissions.open_data_tasks",
]
