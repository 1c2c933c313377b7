"""The daily digest: once a day per person, after DIGEST_HOUR in their own time zone, one
email listing every notification held for the digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from matchway.core import clock
from matchway.core.email import email_send

from .models import Delivery, Notification, NotificationDigest

DIGEST_HOUR = 7  # local time; the job may run every few minutes


def _pending() -> Any:
    return Notification.objects.filter(delivery=Delivery.DIGEST, digested_at__isnull=True)


def digest_send(user: Any, day: dt.date, now: dt.datetime) -> bool:
    """Send `user` their digest for local `day`, once: the (user, day) row is the
    compare-and-set (a second run, or a concurrent worker, fails to insert it and sends
    nothing); the items are claimed with a conditional UPDATE in the same transaction."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = NotificationDigest.objects.create(user=user, day=day, sent_at=now)
        except IntegrityError:
            return False
        ids = list(_pending().filter(user=user).values_list("pk", flat=True))
        claimed = Notification.objects.filter(pk__in=ids, digested_at__isnull=True).update(
            digested_at=now, digest=digest
        )
        if not claimed:
            transaction.set_rollback(True)  # nothing to send: leave the day open
            return False
        items = list(digest.items.order_by("category", "created_at", "pk"))
        digest.count = len(items)
        digest.save(update_fields=["count"])
        site = settings.SITE_URL.rstrip("/")
        email_send(
            to=[user.email],
            template="notification_digest",
            context={
                "name": user.get_short_name(),
                "items": [
                    {
                        "subject": item.subject,
                        "text": item.text,
                        "category": item.get_category_display(),
                        "url": f"{site}{item.link}" if item.link else "",
                    }
                    for item in items
                ],
                "count": len(items),
                "list_url": f"{site}{reverse('notifications:list')}",
                "preferences_url": f"{site}{reverse('notifications:preferences')}",
            },
        )
    return True


def digests_send() -> int:
    """Every person with held notifications whose local time is past DIGEST_HOUR and who
    had no digest yet on their local day gets one email; returns how many were sent."""
    now = clock.now()
    user_ids = set(_pending().values_list("user_id", flat=True))
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        local = now.astimezone(clock.zone(user.timezone))
        if local.hour < DIGEST_HOUR:
            continue
        sent += digest_send(user, local.date(), now)
    return sent
