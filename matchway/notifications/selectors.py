"""Reading notifications and preferences."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.cache import cache
from django.db.models import F, QuerySet

from .categories import CHOOSABLE
from .models import Mode, Notification, NotificationPreference

UNREAD_CACHE_SECONDS = 60 * 60


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first."""
    rows = Notification.objects.filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")


def unread_count(user: Any) -> int:
    """Unread notifications of `user`, cached in the shared cache (the header shows it on
    every page): a cache hit costs no query; every write that changes it deletes the key."""
    if not getattr(user, "is_authenticated", False):
        return 0
    count = cache.get(unread_cache_key(user.pk))
    if count is None:
        count = unread_count_refresh(user.pk)
    return int(count)


def unread_count_refresh(user_id: int) -> int:
    """Count from the database and cache it (at sign-in, and after a change commits)."""
    count = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
    cache.set(unread_cache_key(user_id), count, UNREAD_CACHE_SECONDS)
    return count


def preference_modes(user_ids: Collection[int]) -> dict[tuple[int, str], str]:
    """(user id, category) → mode, for the rows that exist (missing: immediate)."""
    rows = NotificationPreference.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "category", "mode"
    )
    return {(user_id, category): mode for user_id, category, mode in rows}


def preferences_for(user: Any) -> dict[str, str]:
    """category → mode for every choosable category (immediate unless chosen otherwise)."""
    chosen = {key[1]: mode for key, mode in preference_modes([user.pk]).items()}
    return {str(c): chosen.get(str(c), Mode.IMMEDIATE) for c in CHOOSABLE}
