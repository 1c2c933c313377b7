"""Notifications JSON API: the signed-in person's own notifications only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from matchway.accounts.auth import current_user
from matchway.api.pagination import Pagination
from matchway.api.schemas import ErrorOut, ValidationErrorOut
from matchway.core.exceptions import ValidationFailed

from .models import Notification
from .schemas import NotificationOut, NotificationReadIn, NotificationReadOut
from .selectors import notifications_for, unread_count
from .services import notifications_mark_read

router = Router(tags=["notifications"])


@router.get(
    "/me/notifications",
    response={200: list[NotificationOut], 401: ErrorOut, 422: ValidationErrorOut},
    operation_id="notifications_notification_list",
    summary="Your notifications, unread first",
)
@paginate(Pagination)
def notification_list(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    return notifications_for(current_user(request), unread_only=unread)


@router.post(
    "/me/notifications/read",
    response={200: NotificationReadOut, 401: ErrorOut, 422: ValidationErrorOut},
    operation_id="notifications_notification_read",
    summary="Mark notifications read (`ids`, or `all: true`)",
)
def notification_read(request: HttpRequest, payload: NotificationReadIn) -> dict[str, Any]:
    """Ids of other people's notifications are ignored (they do not exist for you)."""
    user = current_user(request)
    if not payload.all and not payload.ids:
        raise ValidationFailed(
            "Some fields are missing or invalid.",
            errors={"ids": ["Give the ids to mark read, or all: true."]},
        )
    updated = notifications_mark_read(user, ids=payload.ids, all_=payload.all)
    return {"updated": updated, "unread": unread_count(user)}
