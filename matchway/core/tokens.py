"""Secret links: signed, expiring, state-bound, single-use. Only digests are stored.

The raw token is `secrets.token_urlsafe(32)`; the database keeps HMAC-SHA256(SECRET_KEY,
purpose:token). A database leak therefore yields no working link, and a token minted for
one purpose cannot be replayed for another. See docs/dev/tokens.md.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models

from matchway.core import clock

from .models import OneTimeToken

TOKEN_BYTES = 32


def token_digest(raw: str, *, purpose: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{raw}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    raw: str
    record: OneTimeToken


def token_issue(
    *,
    purpose: str,
    target: models.Model,
    ttl: timedelta,
    state: str = "",
    revoke_previous: bool = True,
) -> IssuedToken:
    """Create a token for `target`. By default kills earlier live tokens of the same purpose
    and target (renewing a link invalidates the old one)."""
    now = clock.now()
    target_type = target._meta.label_lower
    if revoke_previous:
        OneTimeToken.objects.filter(
            purpose=purpose,
            target_type=target_type,
            target_id=str(target.pk),
            used_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    record = OneTimeToken.objects.create(
        purpose=purpose,
        digest=token_digest(raw, purpose=purpose),
        target_type=target_type,
        target_id=str(target.pk),
        state=state,
        expires_at=now + ttl,
    )
    return IssuedToken(raw=raw, record=record)


def token_resolve(raw: str, *, purpose: str, state: str | None = None) -> OneTimeToken | None:
    """Return the live token record for `raw`, or None for any failure.

    Failures are deliberately indistinguishable (unknown, tampered, expired, used, revoked,
    wrong purpose, wrong state) so a caller can show one neutral page.
    """
    if not raw or len(raw) > 200:
        return None
    digest = token_digest(raw, purpose=purpose)
    record = OneTimeToken.objects.filter(digest=digest, purpose=purpose).first()
    if record is None or not hmac.compare_digest(record.digest, digest):
        return None
    if record.used_at is not None or record.revoked_at is not None:
        return None
    if record.expires_at <= clock.now():
        return None
    if state is not None and not hmac.compare_digest(record.state, state):
        return None
    return record


def token_consume(record: OneTimeToken) -> bool:
    """Mark a token used. Compare-and-set: exactly one caller wins a concurrent race."""
    updated = OneTimeToken.objects.filter(
        pk=record.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(used_at=clock.now())
    return updated == 1


def token_revoke_for(*, purpose: str, target: models.Model) -> int:
    return OneTimeToken.objects.filter(
        purpose=purpose,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        used_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=clock.now())
