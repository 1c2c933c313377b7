"""GET /api/v1/me/notifications and POST /api/v1/me/notifications/read."""

from __future__ import annotations

from typing import Any

import pytest

from matchway.core import clock
from matchway.notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/me/notifications"
READ = "/api/v1/me/notifications/read"


def _post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(READ, data=body, content_type="application/json")


def test_list_paginated_own_only_and_unread_filter(
    applicant: Any, outsider: Any, applicant_client: Any
) -> None:
    mine = [NotificationFactory(user=applicant) for _ in range(3)]
    NotificationFactory(user=applicant, read_at=clock.now())
    NotificationFactory(user=outsider)
    body = applicant_client.get(LIST, {"limit": 2}).json()
    assert body["count"] == 4 and len(body["items"]) == 2
    assert set(body["items"][0]) >= {"id", "category", "subject", "text", "link", "read_at"}
    unread = applicant_client.get(LIST, {"unread": "true"}).json()
    assert sorted(i["id"] for i in unread["items"]) == sorted(n.pk for n in mine)


def test_read_ids_ignores_other_peoples(
    applicant: Any, outsider: Any, applicant_client: Any
) -> None:
    mine = NotificationFactory(user=applicant)
    other = NotificationFactory(user=applicant)
    theirs = NotificationFactory(user=outsider)
    response = _post(applicant_client, {"ids": [mine.pk, theirs.pk]})
    assert response.status_code == 200
    assert response.json() == {"updated": 1, "unread": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_read_all(applicant: Any, outsider: Any, applicant_client: Any) -> None:
    for _ in range(3):
        NotificationFactory(user=applicant)
    theirs = NotificationFactory(user=outsider)
    assert _post(applicant_client, {"all": True}).json() == {"updated": 3, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_needs_ids_or_all(applicant_client: Any) -> None:
    response = _post(applicant_client, {})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_anonymous_is_401(anonymous: Any) -> None:
    assert anonymous.get(LIST).status_code == 401
    assert _post(anonymous, {"all": True}).status_code == 401
