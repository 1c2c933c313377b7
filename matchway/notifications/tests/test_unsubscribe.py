"""One-click unsubscribe: signed per user and category, POST without login or CSRF."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.notifications.categories import Category
from matchway.notifications.links import SALT, unsubscribe_token
from matchway.notifications.models import Mode, NotificationPreference

pytestmark = pytest.mark.django_db


def _url(token: str, category: str) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": token, "category": category})


def test_get_confirms_post_unsubscribes_without_login_or_csrf(applicant: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    url = _url(unsubscribe_token(applicant.pk, "letters"), "letters")
    page = client.get(url)
    assert page.status_code == 200
    assert b"Stop these emails" in page.content
    assert not NotificationPreference.objects.exists()  # GET changes nothing
    # A mail client's one-click POST (RFC 8058 body), no cookie, no CSRF token.
    done = client.post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200
    pref = NotificationPreference.objects.get(user=applicant)
    assert (pref.category, pref.mode) == (Category.LETTERS, Mode.IN_APP)
    event = AuditEvent.objects.get(action="notification_preference.unsubscribed")
    assert event.data == {"category": "letters"}


def test_link_from_the_email_works(
    applicant: Any, django_capture_on_commit_callbacks: Any, anonymous: Any
) -> None:
    from django.core import mail

    from .helpers import send_certificate

    send_certificate(django_capture_on_commit_callbacks, applicant.email)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert anonymous.post("/" + path).status_code == 200
    assert NotificationPreference.objects.get(user=applicant).mode == Mode.IN_APP


@pytest.mark.parametrize(
    "make",
    [
        lambda pk: _url(unsubscribe_token(pk, "letters"), "documents"),  # foreign category
        lambda pk: _url(unsubscribe_token(pk, "letters")[:-2] + "xx", "letters"),  # tampered
        lambda pk: _url(unsubscribe_token(pk, "security"), "security"),  # essential
        lambda pk: _url(signing.dumps([pk, "letters"], salt="other.purpose"), "letters"),
        lambda pk: _url(signing.dumps([pk, "letters"], salt=SALT) + "x", "letters"),
    ],
    ids=["foreign-category", "tampered", "essential", "other-salt", "garbled"],
)
def test_bad_links_are_404(make: Any, applicant: Any, anonymous: Any) -> None:
    url = make(applicant.pk)
    assert anonymous.get(url).status_code == 404
    assert anonymous.post(url).status_code == 404
    assert not NotificationPreference.objects.exists()


def test_token_for_a_deleted_user_is_404(anonymous: Any) -> None:
    url = _url(unsubscribe_token(987654, "letters"), "letters")
    assert anonymous.post(url).status_code == 404
