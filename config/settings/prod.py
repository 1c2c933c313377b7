"""Production: security flags only. Refuses to start without a real SECRET_KEY and hosts."""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, EMAIL_URL, SECRET_KEY, env

DEBUG = False
if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
# A console/locmem/dummy backend would silently drop every email (docs/dev/email.md).
EMAIL_ALLOW_UNSENT = env.bool("EMAIL_ALLOW_UNSENT", default=False)
_email_backend: str = env.str(
    "EMAIL_BACKEND", default=environ.Env.email_url_config(EMAIL_URL)["EMAIL_BACKEND"]
)
if not EMAIL_ALLOW_UNSENT and _email_backend.rsplit(".", 2)[-2] in (
    "console",
    "locmem",
    "dummy",
    "filebased",
):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND is {_email_backend}: production would send no email. Set EMAIL_URL "
        "to your mail server (smtp+tls://user:password@smtp.example.org:587), or set "
        "EMAIL_ALLOW_UNSENT=true to start anyway."
    )
EMAIL_BACKEND = _email_backend

# Rate limits (sign-in, sign-up, writer links) count in the cache: each process would count
# alone with a per-process cache, multiplying every limit by the number of processes.
SHARED_CACHE_SCHEMES = ("redis://", "rediss://", "rediscache://", "memcache://", "pymemcache://")
if not env.str("CACHE_URL", default="").startswith(SHARED_CACHE_SCHEMES):
    raise ImproperlyConfigured(
        "CACHE_URL must name a shared cache in production (e.g. redis://127.0.0.1:6379/0): "
        "rate limits need one counter for all processes (docs/dev/sessions-and-limits.md)."
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Never sign certificates with a generated development key: without CERTIFICATE_SIGNING_KEY
# (or _FILE) issuing and verifying fail with ImproperlyConfigured naming the variable.
CERTIFICATE_DEV_KEY_ALLOWED = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}
