from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_thread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """`messages_unread` for the header: lazy, and cached per user in the shared cache
    (`selectors.unread_thread_count`), so pages pay no query once the count is warm."""
    user = getattr(request, "user", None)
    return {"messages_unread": SimpleLazyObject(lambda: unread_thread_count(user))}  # type: ignore[arg-type]
