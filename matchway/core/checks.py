"""System checks: a production deploy must send real email."""

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
