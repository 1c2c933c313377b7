"""Count unread notifications at sign-in, so the header's count is in the cache from the
first page on (selectors.unread_count)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .selectors import unread_count_refresh


@receiver(user_logged_in, dispatch_uid="notifications_unread_count_at_login")
def unread_count_at_login(sender: Any, user: Any, **kwargs: Any) -> None:
    unread_count_refresh(user.pk)
