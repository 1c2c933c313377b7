"""Writing notifications: record one per email, mark read, preferences, unsubscribe."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.logging import TOKEN_PATH_PREFIXES

from .categories import CHOOSABLE
from .models import Mode, NotificationPreference
from .selectors import unread_cache_key, unread_count_refresh

_URL = re.compile(r"https?://\S+")
TEXT_MAX = 280


def unread_changed(user_ids: Iterable[int]) -> None:
    """Forget the cached unread counts now, and count again once the change commits (so the
    next page finds the count in the cache; a rollback leaves the old, true count)."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    cache.delete_many([unread_cache_key(pk) for pk in ids])

    def refresh() -> None:
        for pk in ids:
            unread_count_refresh(pk)

    transaction.on_commit(refresh, robust=True)


def users_by_email(addresses: Collection[str]) -> dict[str, Any]:
    """Active users whose email is one of `addresses`, keyed by the lower-cased address."""
    if not addresses:
        return {}
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    users = get_user_model().objects.filter(query, is_active=True)
    return {user.email.lower(): user for user in users}


def summary_text(text: str) -> str:
    """A short plain summary of an email's text part: the body without the layout footer,
    the greeting line or any URL (a secret link must never be stored)."""
    body = text.split("\n--\n")[0]
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if lines and lines[0].endswith(","):
        lines = lines[1:]  # "Hello Ada,"
    plain = " ".join(_URL.sub("", " ".join(lines)).split())
    return plain if len(plain) <= TEXT_MAX else plain[: TEXT_MAX - 1].rstrip() + "…"


def link_from(text: str) -> str:
    """The first link to this site in the email, as a path, unless it is a secret link."""
    site = settings.SITE_URL.rstrip("/")
    for url in _URL.findall(text):
        url = url.rstrip(").,;")
        if not url.startswith(site + "/"):
            continue
        path = url[len(site) :]
        if path.startswith(TOKEN_PATH_PREFIXES) or "/unsubscribe/" in path:
            continue
        return path[:500]
    return ""


def notifications_mark_read(user: Any, *, ids: Collection[int] = (), all_: bool = False) -> int:
    """Mark the user's own notifications read (others' ids are ignored); returns how many
    changed."""
    from .models import Notification

    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if not all_:
        rows = rows.filter(pk__in=list(ids))
    changed = rows.update(read_at=clock.now())
    if changed:
        unread_changed([user.pk])
    return changed


def preferences_set(user: Any, modes: dict[str, str], *, request: HttpRequest | None) -> int:
    """Save the modes for choosable categories; audited when anything changed."""
    changed: dict[str, str] = {}
    with transaction.atomic():
        rows = NotificationPreference.objects.filter(user=user).select_for_update()
        existing = {p.category: p for p in rows}
        for category in CHOOSABLE:
            mode = modes.get(str(category))
            if mode is None or mode not in Mode.values:
                continue
            current = existing.get(str(category))
            if (current.mode if current else Mode.IMMEDIATE) == mode:
                continue
            NotificationPreference.objects.update_or_create(
                user=user, category=str(category), defaults={"mode": mode}
            )
            changed[str(category)] = mode
        if changed:
            audit_record(
                actor=user,
                action="notification_preference.updated",
                target=user,
                data={"modes": changed},
                request=request,
            )
    return len(changed)


def unsubscribe(user_id: int, category: str, *, request: HttpRequest | None) -> bool:
    """One-click unsubscribe: the category becomes in-app only. Audited (actor: the user the
    signed link was made for). False when that user no longer exists."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"mode": Mode.IN_APP}
        )
        audit_record(
            actor=user,
            action="notification_preference.unsubscribed",
            target=user,
            data={"category": category},
            request=request,
        )
    return True
