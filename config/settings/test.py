"""Test settings: fast hashing, locmem email, inline tasks, a file-based SQLite test DB."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-" + "x" * 20  # tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "matchway.core.storage.PrivateFileSystemStorage"},
    "private": {"BACKEND": "matchway.core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PRIVATE_MEDIA_ROOT = (
    BASE_DIR / "var" / "test-private" / os.environ.get("PYTEST_XDIST_WORKER", "main")
)
ALLOWED_HOSTS = ["*"]
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file-based test database: the in-memory shared-cache one raises "table is locked"
    # under concurrency regardless of the busy timeout (STYLE.md, "SQLite").
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{worker}.sqlite3")}

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
