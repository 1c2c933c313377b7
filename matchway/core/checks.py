"""System checks for infrastructure every app relies on: real email, a shared cache."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Backends that accept a message and deliver it nowhere.
UNSENT_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)
UNSENT_EMAIL_MESSAGE = (
    "EMAIL_BACKEND is {backend}: no email would leave this server (invitations, booking "
    "notices, letter links). Set EMAIL_URL to your mail server, e.g. "
    "smtp+tls://user:password@smtp.example.org:587, or set EMAIL_ALLOW_UNSENT=true for a "
    "deployment that deliberately sends no email."
)


@register(Tags.compatibility, deploy=True)
def email_backend_check(**kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` fails when the email backend delivers nowhere (unless overridden)."""
    backend = settings.EMAIL_BACKEND
    if backend in UNSENT_EMAIL_BACKENDS and not getattr(settings, "EMAIL_ALLOW_UNSENT", False):
        return [Error(UNSENT_EMAIL_MESSAGE.format(backend=backend), id="matchway.E002")]
    return []


PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


@register(Tags.security, deploy=True)
def shared_cache_check(**kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` fails when rate limits would count per process."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The default cache ({backend}) is not shared between processes, so rate "
                "limits would count per process.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/0.",
                id="matchway.E003",
            )
        ]
    return []
