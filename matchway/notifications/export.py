"""Personal-data export hook: notifications and email settings."""

from __future__ import annotations

from typing import Any

from matchway.core.privacy import model_row

from .models import Notification, NotificationPreference


def export(user: Any) -> dict[str, Any]:
    rows = Notification.objects.filter(user=user).order_by("created_at", "pk")
    prefs = NotificationPreference.objects.filter(user=user).order_by("category")
    return {
        "notifications": {
            "notifications": [model_row(n, exclude={"user", "digest"}) for n in rows],
            "preferences": [model_row(p, exclude={"user"}) for p in prefs],
        }
    }
