"""Matchway settings: everything lives here and is driven by the environment.

dev.py, test.py and prod.py only override a few values (HackSoft rule: no prod-only
features). Every variable read here is documented in `.env.example`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APP_DIR = BASE_DIR / "matchway"

env = environ.Env()


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/K8s secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


# An obviously fake key: `check --deploy` flags it, and prod.py refuses to start with it.
DEV_SECRET_KEY = "django-insecure-matchway-dev-key-never-use-in-production-0000"  # noqa: S105 - public dev key by design
SECRET_KEY = env_secret("SECRET_KEY") or DEV_SECRET_KEY
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Matchway")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer below finds Django's widget templates through it
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Our apps, in dependency order (run_periodic and seed_demo follow this order).
    "matchway.core",
    "matchway.organization",
    "matchway.reference",
    "matchway.accounts",
    "matchway.documents",
    "matchway.rotations",
    "matchway.experience",
    "matchway.letters",
    "matchway.guides",
    "matchway.statements",
    "matchway.eras",
    "matchway.soap",
    "matchway.messaging",
    "matchway.specialties",
    "matchway.notifications",
    # After every app that books or completes rotations, so its demo sees their final states.
    "matchway.payments",
    "matchway.home",
    "matchway.api",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "matchway.core.middleware.UserTimezoneMiddleware",
    "matchway.accounts.middleware.ConsentMiddleware",  # new Terms/Privacy version: ask once
    "matchway.core.middleware.SecurityHeadersMiddleware",
    "matchway.core.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APP_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "matchway.core.context_processors.site",
                "matchway.organization.context_processors.organization",
                "matchway.messaging.context_processors.unread",
                "matchway.notifications.context_processors.notifications",
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "matchway.core.templatetags.when",
            ],
        },
    },
    # The few hottest templates (the catalog's list and cards) are Jinja2, under
    # matchway/jinja2/ (docs/dev/caching.md "Fast without the cache").
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [APP_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "matchway.core.jinja2.environment",
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

# Form widgets render through the project's template engine (cached loader), so
# matchway/templates/django/forms/ can override a widget's template: the select writes its
# options inline (docs/dev/caching.md).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------
# SQLite is the embedded default. IMMEDIATE transactions take the write lock at BEGIN, so
# count-then-insert under `lock_for_update` is safe; WAL lets readers run beside a writer;
# the timeout makes a second writer wait instead of failing with "database is locked".
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
}
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASE_URL: str = env.str("DATABASE_URL", default=f"sqlite:///{DEFAULT_SQLITE_PATH}")


def database_from_url(url: str) -> dict[str, Any]:
    config: dict[str, Any] = environ.Env.db_url_config(url)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif engine in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        config["ENGINE"] = "django.db.backends.postgresql"
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured(f"Unsupported DATABASE_URL engine: {engine}")
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL lock wait inside lock_for_update before we answer "busy, please retry".
LOCK_TIMEOUT_MS = env.int("LOCK_TIMEOUT_MS", default=5000)

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["full_name*", "email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "matchway.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "matchway.accounts.forms.SignupForm",
    "change_password": "matchway.accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "matchway.accounts.forms.ResetPasswordKeyForm",
}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Matchway] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# Sessions live in the database only: a per-process cache (locmem) would let another process
# keep serving a session after sign-out (docs/dev/sessions-and-limits.md).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from a meta tag, not the cookie

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "America/New_York"  # Match/ERAS dates are Eastern Time
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [APP_DIR / "locale"]

# --- Static and private files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [APP_DIR / "static"]
# No public MEDIA_URL on purpose: every uploaded file is private (docs/dev/private-files.md).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "matchway.core.storage.PrivateFileSystemStorage",
    },
    "private": {
        "BACKEND": "matchway.core.storage.PrivateFileSystemStorage",
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Private files in an S3-compatible bucket instead (docs/dev/private-files.md): "s3" needs
# PRIVATE_FILES_S3_BUCKET; credentials come from the usual AWS_* variables or the instance role.
PRIVATE_FILES_STORAGE: str = env.str("PRIVATE_FILES_STORAGE", default="filesystem")
if PRIVATE_FILES_STORAGE == "s3":
    STORAGES["private"] = STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("PRIVATE_FILES_S3_BUCKET"),
            "endpoint_url": env.str("PRIVATE_FILES_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PRIVATE_FILES_S3_REGION", default="") or None,
            "location": env.str("PRIVATE_FILES_S3_PREFIX", default=""),
            # Never public: no ACL, signed URLs only, never overwrite a stored version.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
elif PRIVATE_FILES_STORAGE != "filesystem":
    raise ImproperlyConfigured("PRIVATE_FILES_STORAGE must be 'filesystem' or 's3'.")
# Seconds a presigned download URL (S3 storage) stays valid; it is issued after the check.
PRIVATE_FILES_URL_SECONDS = env.int("PRIVATE_FILES_URL_SECONDS", default=60)
# With nginx in front (deploy/nginx/matchway.conf): the `internal` location that serves
# PRIVATE_MEDIA_ROOT, e.g. /_private/. Empty = Django streams the file itself.
PRIVATE_FILES_ACCEL_REDIRECT_PREFIX: str = env.str(
    "PRIVATE_FILES_ACCEL_REDIRECT_PREFIX", default=""
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# How many reverse proxies in front of us append to X-Forwarded-For (core/http.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Cache ----------------------------------------------------------------------------
# Local memory for the embedded demo (one process); production names a shared cache
# (prod.py insists): catalog fragments, facets, rate limits and cached counts live there and
# are invalidated by version keys, so every process sees a write at once (docs/dev/caching.md).
CACHE_URL: str = env.str("CACHE_URL", default="locmemcache://matchway")
CACHES = {"default": environ.Env.cache_url_config(CACHE_URL)}
if CACHES["default"].get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "matchway.core.cache.RedisCache"  # one client per pool

# --- Email ----------------------------------------------------------------------------
EMAIL_URL: str = env.str("EMAIL_URL", default="consolemail://")
vars().update(environ.Env.email_url_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Matchway <no-reply@matchway.local>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Seconds an SMTP connect/read may take before the attempt fails and is retried later
# (docs/dev/email.md): a hung mail server must not hold a worker.
EMAIL_TIMEOUT: float = env.float("EMAIL_TIMEOUT", default=10.0)
# Minutes to wait before attempt 2, 3, ...; after the last one the email is marked failed.
EMAIL_RETRY_MINUTES: list[int] = [1, 5, 30, 120, 720]

# --- Background tasks -----------------------------------------------------------------
TASKS_BACKEND: str = env.str(
    "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
)
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

# --- API ------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100
API_TOKEN_PREFIX = "mw_"  # noqa: S105 - a prefix, not a secret

# --- Matchway domain settings ---------------------------------------------------------
MATCHWAY_SEASON: str | None = env.str("MATCHWAY_SEASON", default="") or None
MATCHWAY_DEMO_PASSWORD: str = env.str("MATCHWAY_DEMO_PASSWORD", default="matchway-demo")
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)
PERIODIC_INTERVAL_SECONDS = env.int("PERIODIC_INTERVAL_SECONDS", default=60)


def _retention_days(name: str, default: int) -> int:
    # Empty means "not set" (the default), never "off": a blank line in a .env file must not
    # silently stop a privacy erasure. Turning it off takes an explicit 0.
    raw = env.str(name, default="").strip()
    if not raw:
        return default
    try:
        days = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number of days, got {raw!r}") from None
    if days < 0:
        raise ImproperlyConfigured(f"{name} must be 0 (never erase) or a positive number of days")
    return days


# Identity documents (passport, visa) are erased this many days after the applicant's last
# rotation ended (or after the upload, if later); 0 = never. docs/dev/privacy.md "Retention".
RETENTION_IDENTITY_DOCUMENTS_DAYS = _retention_days("RETENTION_IDENTITY_DOCUMENTS_DAYS", 365)

# --- Certificates (docs/dev/certificates.md) ------------------------------------------
# Ed25519 private key as PEM text; CERTIFICATE_SIGNING_KEY_FILE may name a PEM file instead
# (env_secret also reads that file into CERTIFICATE_SIGNING_KEY).
CERTIFICATE_SIGNING_KEY: str = env_secret("CERTIFICATE_SIGNING_KEY") or ""
CERTIFICATE_SIGNING_KEY_FILE: str = env.str("CERTIFICATE_SIGNING_KEY_FILE", default="")
# Public keys of rotated-out signing keys (one PEM bundle), so old certificates still verify.
CERTIFICATE_RETIRED_PUBLIC_KEYS_FILE: str = env.str(
    "CERTIFICATE_RETIRED_PUBLIC_KEYS_FILE", default=""
)
# Development and tests generate a key under var/ on first use; prod.py turns this off.
CERTIFICATE_DEV_KEY_ALLOWED = True
CERTIFICATE_DEV_KEY_PATH = BASE_DIR / "var" / "certificate-signing-dev.pem"

# --- Security (prod.py turns the strict flags on) -------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    # The "Pay deposit" form redirects to Stripe Checkout: form-action covers that redirect.
    "form-action 'self' https://checkout.stripe.com"
)
# /api/v1/docs (ninja's vendored Swagger UI): its two scripts and stylesheet from /static/,
# the spec fetched from this site, data: images from its CSS; nothing inline, no other host.
API_DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Secret-link tokens in URL paths are masked in every record and error email before any
# handler sees them (matchway/core/logging.py, docs/dev/tokens.md): the filter sits on the
# loggers that log paths (so records are masked for every handler, pytest's caplog too) and
# on each handler (for paths logged anywhere else). Django's default "django" handlers are
# replaced here so the 500 email is the masking one.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_tokens": {"()": "matchway.core.logging.MaskTokensFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_tokens"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_tokens"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "matchway.core.logging.MaskingAdminEmailHandler",
            "filters": ["require_debug_false", "mask_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "filters": ["mask_tokens"]},
        "django.request": {"filters": ["mask_tokens"]},
        "django.security": {"filters": ["mask_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["mask_tokens"],
        },
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Letters of recommendation (defaults live in matchway/letters/conf.py) ---------------
LETTER_MAX_BYTES = env.int("LETTER_MAX_BYTES", default=1024 * 1024)
LETTER_TOKEN_TTL_DAYS = env.int("LETTER_TOKEN_TTL_DAYS", default=30)
LETTER_REMINDER_DAYS = [int(d) for d in env.list("LETTER_REMINDER_DAYS", default=["14", "7", "2"])]


# Card payments through Stripe Checkout (matchway.payments; docs/dev/money.md). Both empty:
# card payments are off and the pay buttons show the bank-transfer instructions instead.
STRIPE_SECRET_KEY: str = env_secret("STRIPE_SECRET_KEY", "") or ""
STRIPE_WEBHOOK_SECRET: str = env_secret("STRIPE_WEBHOOK_SECRET", "") or ""
