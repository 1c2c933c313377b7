"""Notification pages: the list, marking read, email settings, the header count."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.notifications.categories import Category
from matchway.notifications.models import Mode, Notification, NotificationPreference

from .factories import NotificationFactory
from .helpers import send_certificate

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
_INPUT = re.compile(r"<input[^>]*>", re.S)


def _checked(page: str) -> dict[str, str]:
    """name → value of the checked radio buttons."""
    found = {}
    for tag in _INPUT.findall(page):
        if 'type="radio"' in tag and "checked" in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]+)"', tag)
            assert name and value
            found[name.group(1)] = value.group(1)
    return found


SETTINGS = reverse("notifications:preferences")


def test_list_unread_first_and_only_mine(
    applicant: Any, outsider: Any, applicant_client: Any
) -> None:
    from matchway.core import clock

    old_unread = NotificationFactory(user=applicant, subject="Old unread")
    NotificationFactory(user=applicant, subject="Newer read", read_at=clock.now())
    NotificationFactory(user=outsider, subject="Charlie's own")
    html = applicant_client.get(LIST).content.decode()
    assert html.index("Old unread") < html.index("Newer read")
    assert "Charlie&#x27;s own" not in html and "Charlie's own" not in html
    assert f'action="/notifications/{old_unread.pk}/read/"' in html


def test_list_query_count_is_pinned(
    applicant: Any, applicant_client: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(30):  # more than one page
        NotificationFactory(user=applicant)
    applicant_client.get(LIST)  # warm up: session, user, cached unread count
    # session, user, count (paginator), page rows; the header count comes from the cache.
    with django_assert_num_queries(4):
        response = applicant_client.get(LIST)
    assert response.status_code == 200
    assert b"Page 1 of 2" in response.content


def test_mark_read_and_mark_all(applicant: Any, applicant_client: Any) -> None:
    first = NotificationFactory(user=applicant)
    NotificationFactory.create_batch(2, user=applicant)
    assert applicant_client.post(reverse("notifications:read", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    applicant_client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(user=applicant, read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(outsider: Any, applicant_client: Any) -> None:
    theirs = NotificationFactory(user=outsider)
    response = applicant_client.post(reverse("notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    applicant_client.post(reverse("notifications:read-all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_header_count_is_cached_and_follows_changes(
    applicant: Any, applicant_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    home = reverse("dashboard")
    assert b"nav-unread" not in applicant_client.get(home).content
    send_certificate(django_capture_on_commit_callbacks, applicant.email)
    send_certificate(django_capture_on_commit_callbacks, applicant.email)
    html = applicant_client.get(home).content.decode()
    assert 'nav-unread">2<' in html
    applicant_client.post(reverse("notifications:read-all"))
    assert b"nav-unread" not in applicant_client.get(home).content


def test_preferences_page_saves_and_audits(applicant: Any, applicant_client: Any) -> None:
    page = applicant_client.get(SETTINGS).content.decode()
    assert _checked(page)["letters"] == "immediate"  # the default: no dark patterns
    assert "Always emailed" in page  # security and money explained, not choosable
    assert 'name="security"' not in page
    data = dict.fromkeys(("bookings", "documents", "evaluations", "messages"), "immediate")
    data |= {"letters": "digest", "reminders": "in_app"}
    assert applicant_client.post(SETTINGS, data).status_code == 302
    prefs = dict(
        NotificationPreference.objects.filter(user=applicant).values_list("category", "mode")
    )
    assert prefs == {Category.LETTERS: Mode.DIGEST, Category.REMINDERS: Mode.IN_APP}
    event = AuditEvent.objects.get(action="notification_preference.updated")
    assert event.data == {"modes": {"letters": "digest", "reminders": "in_app"}}
    checked = _checked(applicant_client.get(SETTINGS).content.decode())
    assert checked["letters"] == "digest" and checked["bookings"] == "immediate"


def test_preferences_invalid_choice_reshown_with_error(
    applicant: Any, applicant_client: Any
) -> None:
    response = applicant_client.post(SETTINGS, {"letters": "digest", "reminders": "loud"})
    assert response.status_code == 200
    assert "Choose how you want to hear about reminders" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_anonymous_is_sent_to_login(anonymous: Any) -> None:
    assert anonymous.get(LIST).status_code == 302
    assert anonymous.get(SETTINGS).status_code == 302
