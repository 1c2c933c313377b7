"""Account erasure hook: a person's notifications (copies of emails) and settings."""

from __future__ import annotations

from typing import Any

from .models import Notification, NotificationDigest, NotificationPreference


def erase(user: Any) -> dict[str, int]:
    return {
        "notifications": Notification.objects.filter(user=user).delete()[0],
        "notification_digests": NotificationDigest.objects.filter(user=user).delete()[0],
        "notification_preferences": NotificationPreference.objects.filter(user=user).delete()[0],
    }
