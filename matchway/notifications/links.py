"""One-click unsubscribe links: signed (django.core.signing, salted for this purpose) over
the user id and the category; no expiry (an old email's link must keep working)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .categories import CHOOSABLE

SALT = "matchway.notifications.unsubscribe"


def unsubscribe_token(user_id: int, category: str) -> str:
    return signing.dumps([user_id, category], salt=SALT, compress=False)


def unsubscribe_resolve(token: str, category: str) -> int | None:
    """The user id the token was signed for, if it is intact and for this category (a
    choosable one); otherwise None (the view shows its 404 page)."""
    try:
        value: Any = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or value[1] != category
        or category not in CHOOSABLE
        or not isinstance(value[0], int)
    ):
        return None
    return value[0]


def unsubscribe_url(user_id: int, category: str) -> str:
    path = reverse(
        "notifications:unsubscribe",
        kwargs={"token": unsubscribe_token(user_id, category), "category": category},
    )
    return f"{settings.SITE_URL}{path}"
