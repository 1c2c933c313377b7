"""Private calendar feed tokens: create (replacing the old one), revoke, resolve.

The raw token is shown to the applicant once and never stored; the database keeps an
HMAC-SHA256 digest keyed with SECRET_KEY (`core.tokens.token_digest`), so a leaked table
gives no working feed URL. A feed has no expiry: calendar apps poll it for months; the
applicant revokes or regenerates it when they want it dead.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, BusyError
from matchway.core.tokens import TOKEN_BYTES, token_digest

from ..models import CalendarFeed

FEED_PURPOSE = "calendar-feed"
# Recording every poll would turn each calendar refresh into a write.
POLL_RESOLUTION = timedelta(hours=1)


def calendar_feed_create(*, actor: User) -> tuple[str, CalendarFeed]:
    """Issue a new feed token for `actor` (an applicant), revoking any live one.

    Returns the raw token (show it once) and the record. Audited.
    """
    if getattr(actor, "role", None) != Role.APPLICANT:
        raise AccessDenied()
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    try:
        with transaction.atomic():
            revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
                revoked_at=clock.now()
            )
            feed = CalendarFeed.objects.create(
                user=actor, token_digest=token_digest(raw, purpose=FEED_PURPOSE)
            )
            audit_record(
                actor=actor,
                action="calendar_feed.created",
                target=feed,
                data={"replaced": revoked},
            )
    except IntegrityError as exc:
        # Two concurrent "regenerate" clicks: the partial unique constraint let one win.
        raise BusyError() from exc
    return raw, feed


def calendar_feed_revoke(*, actor: User) -> int:
    """Revoke the actor's live feed (if any). Returns how many were revoked. Audited."""
    with transaction.atomic():
        feeds = list(CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True))
        now = clock.now()
        for feed in feeds:
            feed.revoked_at = now
            feed.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="calendar_feed.revoked", target=feed)
    return len(feeds)


def calendar_feed_resolve(raw: str) -> User | None:
    """The owner of a live feed token, or None for anything else (unknown, revoked, bogus).

    Touches `last_polled_at` at most once an hour.
    """
    if not raw or len(raw) > 200:
        return None
    digest = token_digest(raw, purpose=FEED_PURPOSE)
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_digest=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None or not secrets.compare_digest(feed.token_digest, digest):
        return None
    now = clock.now()
    if feed.last_polled_at is None or now - feed.last_polled_at > POLL_RESOLUTION:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_polled_at=now)
    return feed.user


def calendar_feed_current(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
