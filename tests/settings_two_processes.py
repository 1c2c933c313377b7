"""Settings for the servers started by tests/test_sessions_across_processes.py.

Development settings (the cache comes from CACHE_URL, locmem by default) with the test
password hasher, so users created by the test process can sign in.
"""

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
