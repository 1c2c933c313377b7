"""Every email to a user is a notification; the category's preference decides the email."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from matchway.accounts.tests.factories import UserFactory
from matchway.core.email import email_send
from matchway.core.models import OutboundEmail
from matchway.notifications import categories
from matchway.notifications.categories import Category, Route
from matchway.notifications.models import Delivery, Mode, Notification, NotificationPreference

from .helpers import send_certificate

pytestmark = pytest.mark.django_db


def _prefer(user: Any, category: str, mode: str) -> None:
    NotificationPreference.objects.create(user=user, category=category, mode=mode)


def test_immediate_by_default_with_notification_and_unsubscribe(
    applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    send_certificate(django_capture_on_commit_callbacks, applicant.email)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    note = Notification.objects.get(user=applicant)
    assert note.category == Category.DOCUMENTS
    assert note.delivery == Delivery.IMMEDIATE
    assert note.emailed_at is not None and note.read_at is None
    assert note.subject.startswith("Your certificate MW-1")
    assert note.link == "/certificates/1/download/"
    assert "http" not in note.text and "Hello" not in note.text
    # RFC 8058 one-click unsubscribe, for this person and this category.
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in url and url.endswith("/documents/")
    assert url in message.body
    assert url in message.alternatives[0][0]


@pytest.mark.parametrize("mode", [Mode.DIGEST, Mode.IN_APP])
def test_digest_and_in_app_hold_the_email(
    mode: str, applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _prefer(applicant, Category.DOCUMENTS, mode)
    assert send_certificate(django_capture_on_commit_callbacks, applicant.email) is None
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()
    note = Notification.objects.get(user=applicant)
    assert note.delivery == mode and note.emailed_at is None


def test_preference_is_per_category(
    applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _prefer(applicant, Category.LETTERS, Mode.IN_APP)  # not the certificate's category
    send_certificate(django_capture_on_commit_callbacks, applicant.email)
    assert len(mail.outbox) == 1


def test_essential_is_always_sent_without_unsubscribe(
    applicant: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(
        categories.TEMPLATES, "certificate_ready", Route(Category.SECURITY, always_email=True)
    )
    for category in categories.CHOOSABLE:
        _prefer(applicant, category, Mode.IN_APP)
    send_certificate(django_capture_on_commit_callbacks, applicant.email)
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert "unsubscribe" not in mail.outbox[0].body
    note = Notification.objects.get(user=applicant)
    assert note.category == Category.SECURITY and note.delivery == Delivery.ALWAYS


def test_non_users_always_get_the_email_and_no_notification(
    applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _prefer(applicant, Category.DOCUMENTS, Mode.IN_APP)
    send_certificate(
        django_capture_on_commit_callbacks, "writer@example.org", applicant.email.upper()
    )
    assert [m.to for m in mail.outbox] == [["writer@example.org"]]
    assert "unsubscribe" not in mail.outbox[0].body
    assert Notification.objects.get().user == applicant  # matched case-insensitively


def test_inactive_user_is_treated_as_non_user(django_capture_on_commit_callbacks: Any) -> None:
    gone = UserFactory(is_active=False)
    send_certificate(django_capture_on_commit_callbacks, gone.email)
    assert len(mail.outbox) == 1
    assert not Notification.objects.exists()


def test_secret_links_are_never_stored(
    applicant: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    context = {
        "applicant_name": "Alice",
        "rotation_title": "IM",
        "number": "MW-2",
        "link": f"{settings.SITE_URL}/letters/write/SECRETTOKEN123/",
        "verify_url": "https://elsewhere.example/verify/",
    }
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=[applicant.email], template="certificate_ready", context=context)
    note = Notification.objects.get()
    assert note.link == ""  # the token link is skipped, the foreign site too
    assert "SECRETTOKEN123" not in note.text


def test_rolled_back_email_leaves_no_notification(applicant: Any) -> None:
    from django.db import transaction

    from .helpers import certificate_context

    def send_then_fail() -> None:
        with transaction.atomic():
            email_send(
                to=[applicant.email], template="certificate_ready", context=certificate_context()
            )
            raise RuntimeError

    with pytest.raises(RuntimeError):
        send_then_fail()
    assert not Notification.objects.exists()
