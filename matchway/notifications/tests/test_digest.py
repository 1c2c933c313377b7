"""The daily digest: one email for N held events, once a day, in each person's zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from matchway.accounts.tests.factories import UserFactory
from matchway.notifications.categories import Category
from matchway.notifications.digest import digests_send
from matchway.notifications.models import Mode, Notification, NotificationDigest
from matchway.notifications.models import NotificationPreference as Pref

from .helpers import send_certificate

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _digest_user(timezone: str, email: str) -> Any:
    user = UserFactory(timezone=timezone, email=email)
    Pref.objects.create(user=user, category=Category.DOCUMENTS, mode=Mode.DIGEST)
    return user


def _run(capture: Any) -> int:
    with capture(execute=True):
        return digests_send()


def test_n_events_one_email_and_idempotent(
    time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    user = _digest_user("UTC", "dee@example.com")
    for _ in range(3):
        send_certificate(django_capture_on_commit_callbacks, user.email)
    assert mail.outbox == []
    assert _run(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [user.email]
    assert "3 updates" in digest.subject
    assert digest.body.count("Your certificate MW-1") == 3
    assert not Notification.objects.filter(digested_at__isnull=True).exists()
    # Every 5 minutes, the same day: nothing more, even with a new event.
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 5, tzinfo=UTC), tick=False)
    assert _run(django_capture_on_commit_callbacks) == 0
    send_certificate(django_capture_on_commit_callbacks, user.email)
    assert _run(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    # Next local day after 07:00: the held event goes out.
    time_machine.move_to(dt.datetime(2026, 3, 3, 7, 1, tzinfo=UTC), tick=False)
    assert _run(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2
    assert NotificationDigest.objects.filter(user=user).count() == 2


def test_in_app_and_immediate_never_digested(
    time_machine: Any, django_capture_on_commit_callbacks: Any, applicant: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 2, 20, 0, tzinfo=UTC), tick=False)
    Pref.objects.create(user=applicant, category=Category.DOCUMENTS, mode=Mode.IN_APP)
    send_certificate(django_capture_on_commit_callbacks, applicant.email)
    assert _run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_each_person_in_their_own_time_zone(
    time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # 2026-03-02 00:30 UTC: Kolkata 06:00 on the 2nd; Los Angeles 16:30 on the 1st.
    time_machine.move_to(dt.datetime(2026, 3, 2, 0, 30, tzinfo=UTC), tick=False)
    kolkata = _digest_user("Asia/Kolkata", "kolkata@example.com")
    los_angeles = _digest_user("America/Los_Angeles", "la@example.com")
    send_certificate(django_capture_on_commit_callbacks, kolkata.email)
    send_certificate(django_capture_on_commit_callbacks, los_angeles.email)
    assert _run(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [[los_angeles.email]]
    # 01:25 UTC: Kolkata 06:55, still before 07:00.
    time_machine.move_to(dt.datetime(2026, 3, 2, 1, 25, tzinfo=UTC), tick=False)
    assert _run(django_capture_on_commit_callbacks) == 0
    # 01:35 UTC: Kolkata 07:05 → its digest; LA already had its one for the 1st.
    time_machine.move_to(dt.datetime(2026, 3, 2, 1, 35, tzinfo=UTC), tick=False)
    send_certificate(django_capture_on_commit_callbacks, los_angeles.email)
    assert _run(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [[los_angeles.email], [kolkata.email]]
    assert NotificationDigest.objects.get(user=kolkata).day == dt.date(2026, 3, 2)
    assert NotificationDigest.objects.get(user=los_angeles).day == dt.date(2026, 3, 1)
    # 08:00 LA time on the 2nd (16:00 UTC): LA's held second event goes out.
    time_machine.move_to(dt.datetime(2026, 3, 2, 16, 0, tzinfo=UTC), tick=False)
    assert _run(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox][-1] == [los_angeles.email]
