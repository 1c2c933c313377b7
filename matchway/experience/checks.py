"""System checks: a production deploy must have a real certificate signing key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def certificate_signing_key_check(**kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` fails when certificates could not be signed in production."""
    if getattr(settings, "CERTIFICATE_DEV_KEY_ALLOWED", False):
        return []
    from matchway.core.signing import MISSING_KEY_MESSAGE, _configured_private_key

    try:
        _configured_private_key()
    except ImproperlyConfigured as exc:
        message = str(exc) or MISSING_KEY_MESSAGE
        return [Error(message, id="matchway.E001")]
    return []
