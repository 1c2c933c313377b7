from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from matchway.core.models import AuditEvent
from matchway.letters import periodic
from matchway.letters.models import LetterReminder, LetterRequest, LetterStatus
from matchway.letters.selectors import writer_token_resolve
from matchway.letters.services.compose import letter_request_create
from matchway.letters.services.reminders import (
    letter_ask_reminders_send,
    letter_reminders_send,
    letter_requests_expire,
)
from matchway.letters.services.requests import letter_request_send
from matchway.letters.services.writer import letter_request_decline, letter_upload

from .factories import last_link_token, request_input, sent_request, token_viewer, validated_pdf

# Reminder offsets and expiry count provider days: pin the day instead of the wall clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("provider_afternoon")]


def _at(days_from_now: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days_from_now)


def _writer_mail() -> list[Any]:
    return [m for m in mail.outbox if "wendy.writer@example.org" in m.to]


def _sent_long_ago(applicant: Any, due_in_days: int = 20) -> LetterRequest:
    req = sent_request(applicant, due_date=timezone.localdate() + dt.timedelta(days=due_in_days))
    # As if it had been sent a month before the due date.
    LetterRequest.objects.filter(pk=req.pk).update(requested_at=_at(-30))
    req.refresh_from_db()
    return req


def test_each_offset_sends_once_even_when_run_twice(applicant: Any) -> None:
    req = _sent_long_ago(applicant, due_in_days=20)
    mail.outbox.clear()
    due = req.due_date
    schedule = {
        due - dt.timedelta(days=15): 0,  # before the first window
        due - dt.timedelta(days=14): 1,
        due - dt.timedelta(days=10): 0,  # still the 14-day window: already sent
        due - dt.timedelta(days=7): 1,
        due - dt.timedelta(days=2): 1,
        due: 0,
        due + dt.timedelta(days=3): 1,  # after the due date
        due + dt.timedelta(days=5): 0,
        due + dt.timedelta(days=10): 1,
    }
    for day, expected in schedule.items():
        now = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        first = letter_reminders_send(now=now)
        second = letter_reminders_send(now=now)
        assert (first, second) == (expected, 0), day
    assert sorted(LetterReminder.objects.values_list("kind", "offset_days")) == [
        ("writer_after", 3),
        ("writer_after", 10),
        ("writer_before", 2),
        ("writer_before", 7),
        ("writer_before", 14),
    ]
    assert len(_writer_mail()) == 5
    subjects = [m.subject for m in _writer_mail()]
    assert "Reminder: letter for Alice Adeyemi" in subjects[0]
    assert "was due on" in subjects[-1]
    assert AuditEvent.objects.filter(action="letter_request.reminder_sent").count() == 5
    # Every reminder carries a working link, and earlier links keep working.
    assert writer_token_resolve(last_link_token()) is not None


def test_a_missed_run_sends_one_reminder_not_a_burst(applicant: Any) -> None:
    req = _sent_long_ago(applicant, due_in_days=20)
    mail.outbox.clear()
    now = timezone.make_aware(dt.datetime.combine(req.due_date - dt.timedelta(days=1), dt.time(9)))
    assert letter_reminders_send(now=now) == 1
    assert list(LetterReminder.objects.values_list("offset_days", flat=True)) == [2]


def test_no_reminder_for_windows_before_the_request_was_sent(applicant: Any) -> None:
    req = sent_request(applicant, due_date=timezone.localdate() + dt.timedelta(days=5))
    mail.outbox.clear()
    # Sent today with 5 days left: the 14- and 7-day reminders never fire.
    assert letter_reminders_send(now=timezone.now()) == 0
    two_days_before = timezone.make_aware(
        dt.datetime.combine(req.due_date - dt.timedelta(days=2), dt.time(9))
    )
    assert letter_reminders_send(now=two_days_before) == 1


def test_reminders_stop_once_the_letter_is_in(applicant: Any) -> None:
    req = _sent_long_ago(applicant, due_in_days=20)
    viewer = token_viewer(last_link_token())
    letter_upload(actor=viewer, letter_request=req, file=validated_pdf())
    mail.outbox.clear()
    for offset in (14, 7, 2, -3, -10):
        day = req.due_date - dt.timedelta(days=offset)
        now = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        assert letter_reminders_send(now=now) == 0
    assert _writer_mail() == []


def test_drafts_and_declined_requests_get_no_reminders(applicant: Any) -> None:
    letter_request_create(
        actor=applicant, data=request_input(due_date=timezone.localdate() + dt.timedelta(days=7))
    )
    req = _sent_long_ago(applicant, due_in_days=7)
    letter_request_decline(actor=token_viewer(last_link_token()), letter_request=req)
    mail.outbox.clear()
    assert letter_reminders_send() == 0


def test_expiry_after_the_grace_period(applicant: Any) -> None:
    req = _sent_long_ago(applicant, due_in_days=1)
    token = last_link_token()
    assert letter_requests_expire(now=_at(20)) == 0
    assert letter_requests_expire(now=_at(40)) == 1
    assert letter_requests_expire(now=_at(40)) == 0
    req.refresh_from_db()
    assert req.status == LetterStatus.EXPIRED
    assert writer_token_resolve(token) is None
    assert "expired" in mail.outbox[-1].subject


def test_applicant_ask_reminder_once(applicant: Any) -> None:
    req = letter_request_create(
        actor=applicant,
        data=request_input(remind_applicant_on=timezone.localdate() + dt.timedelta(days=3)),
    )
    mail.outbox.clear()
    assert letter_ask_reminders_send(now=_at(1)) == 0
    assert letter_ask_reminders_send(now=_at(3)) == 1
    assert letter_ask_reminders_send(now=_at(4)) == 0
    assert mail.outbox[-1].to == [applicant.email]
    assert "good moment to ask" in mail.outbox[-1].subject
    letter_request_send(actor=applicant, letter_request=req)
    req.refresh_from_db()
    assert req.remind_applicant_on is None


def test_jobs_are_registered_and_run_from_run_periodic(applicant: Any) -> None:
    assert [job.__name__ for job in periodic.JOBS] == [
        "letter_writer_reminders",
        "letter_applicant_ask_reminders",
        "letter_requests_expiry",
    ]
    call_command("run_periodic")
