"""The outbox: email_send stores a rendered message and delivers it after commit; delivery
failures (refused, hung, rejected) are recorded and retried, never raised (docs/dev/email.md).
Each test talks to the local SMTP server (`smtp_server`, tests/smtp_server.py)."""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction

from matchway.core import clock
from matchway.core.email import CLAIM_LEASE, email_deliver, email_send
from matchway.core.models import OutboundEmail, OutboundEmailStatus
from matchway.core.periodic import JOBS, emails_retry

START = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)


def _context(name: str = "Ada Lovelace") -> dict[str, Any]:
    invitation = SimpleNamespace(
        full_name=name, get_role_display="Preceptor", expires_at=START + dt.timedelta(days=7)
    )
    return {"invitation": invitation, "inviter": {"full_name": "Cora"}, "link": "http://x/"}


def _send(to: str = "ada@example.com", **context: Any) -> OutboundEmail:
    email = email_send(to=[to], template="invitation", context=_context(**context))
    assert email is not None
    email.refresh_from_db()
    return email


@pytest.fixture
def at_start(time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)


@pytest.mark.django_db(transaction=True)
def test_sends_after_commit_and_marks_sent(smtp_server: Any, at_start: None) -> None:
    with transaction.atomic():
        email = email_send(to=["ada@example.com"], template="invitation", context=_context())
        assert email is not None
        assert smtp_server.received == []  # nothing leaves before the commit
    email.refresh_from_db()
    assert email.status == OutboundEmailStatus.SENT
    assert email.attempts == 1
    assert email.sent_at == START
    [received] = smtp_server.received
    assert received.recipients == ["ada@example.com"]
    kinds = [part.get_content_type() for part in received.message.walk()]
    assert "text/plain" in kinds
    assert "text/html" in kinds


@pytest.mark.django_db(transaction=True)
def test_rollback_drops_the_email(smtp_server: Any) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            email_send(to=["ada@example.com"], template="invitation", context=_context())
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutboundEmail.objects.exists()
    assert smtp_server.received == []


@pytest.mark.django_db(transaction=True)
def test_refused_connection_is_recorded_and_retried_when_the_server_is_back(
    smtp_server: Any, time_machine: Any, at_start: None
) -> None:
    smtp_server.set_mode("down")
    email = _send()  # does not raise (before the outbox: ConnectionRefusedError here)
    assert email.status == OutboundEmailStatus.QUEUED
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    assert email.next_attempt_at == START + dt.timedelta(minutes=1)

    assert emails_retry() == 0  # not due yet
    smtp_server.set_mode("record")
    time_machine.move_to(START + dt.timedelta(minutes=1), tick=False)
    assert emails_retry() == 1
    email.refresh_from_db()
    assert email.status == OutboundEmailStatus.SENT
    assert email.attempts == 2
    assert len(smtp_server.received) == 1
    assert emails_retry() == 0  # sent once, never again


@pytest.mark.django_db(transaction=True)
def test_hung_server_times_out_quickly(smtp_server: Any, at_start: None) -> None:
    smtp_server.set_mode("hang")
    started = time.monotonic()
    email = _send()
    assert time.monotonic() - started < 5  # EMAIL_TIMEOUT is 1 s in the fixture
    assert email.status == OutboundEmailStatus.QUEUED
    assert "timed out" in email.last_error or "Timeout" in email.last_error


@pytest.mark.django_db(transaction=True)
def test_backoff_then_failed_after_the_last_attempt(
    smtp_server: Any, time_machine: Any, at_start: None, settings: Any
) -> None:
    smtp_server.set_mode("down")
    email = _send()
    delays = [1, 5, 30, 120, 720]
    assert delays == settings.EMAIL_RETRY_MINUTES
    for attempt in range(2, len(delays) + 2):
        time_machine.move_to(email.next_attempt_at, tick=False)
        assert email.next_attempt_at - clock.now() == dt.timedelta(0)
        emails_retry()
        previous = email.next_attempt_at
        email.refresh_from_db()
        assert email.attempts == attempt
        if attempt <= len(delays):
            assert email.next_attempt_at == previous + dt.timedelta(minutes=delays[attempt - 1])
    assert email.status == OutboundEmailStatus.FAILED
    assert email.attempts == 6
    smtp_server.set_mode("record")
    time_machine.move_to(START + dt.timedelta(days=2), tick=False)
    assert emails_retry() == 0  # a failed email stays failed (visible in the admin)


@pytest.mark.django_db(transaction=True)
def test_rejected_recipient_error_names_no_address(smtp_server: Any, at_start: None) -> None:
    smtp_server.reject.add("gone@example.com")
    email = _send(to="gone@example.com")
    assert email.status == OutboundEmailStatus.QUEUED
    assert email.last_error.startswith("SMTPRecipientsRefused")
    assert "gone@example.com" not in email.last_error


@pytest.mark.django_db(transaction=True)
def test_periodic_job_sends_a_row_whose_task_was_lost(smtp_server: Any, at_start: None) -> None:
    assert emails_retry in JOBS
    email = OutboundEmail.objects.create(
        to=["ada@example.com"],
        from_email="x@example.com",
        subject="Hi",
        text="Hello",
        next_attempt_at=START,
    )
    assert emails_retry() == 1
    email.refresh_from_db()
    assert email.status == OutboundEmailStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_claimed_attempt_is_not_sent_twice(
    smtp_server: Any, time_machine: Any, at_start: None
) -> None:
    email = _send()
    assert email_deliver(email.pk) == "skipped"  # already sent
    # A worker that claimed an attempt and died: the row is queued but leased.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmailStatus.QUEUED, next_attempt_at=START + CLAIM_LEASE
    )
    assert emails_retry() == 0
    assert len(smtp_server.received) == 1
    time_machine.move_to(START + CLAIM_LEASE, tick=False)
    assert emails_retry() == 1  # the lease ran out: the periodic job takes it again


@pytest.mark.django_db(transaction=True)
def test_message_is_rendered_when_asked_for(smtp_server: Any, at_start: None) -> None:
    smtp_server.set_mode("down")
    context = _context("First Name")
    email_send(to=["ada@example.com"], template="invitation", context=context)
    context["invitation"].full_name = "Changed Later"
    smtp_server.set_mode("record")
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=START)
    emails_retry()
    assert "First Name" in smtp_server.received[0].data.decode()


@pytest.mark.django_db(transaction=True)
def test_plain_text_parts_are_not_html_escaped(smtp_server: Any, at_start: None) -> None:
    email = _send(name="Siobhán O'Brien & Sons <Ltd>")
    assert "Siobhán O'Brien & Sons <Ltd>" in email.text
    assert "&#x27;" not in email.text
    assert "&amp;" not in email.text
    assert "O&#x27;Brien &amp; Sons &lt;Ltd&gt;" in email.html  # the HTML part stays escaped
    received = smtp_server.received[0].message
    plain = received.get_payload(0).get_payload(decode=True).decode()
    assert "O'Brien & Sons <Ltd>" in plain


@pytest.mark.django_db(transaction=True)
def test_subject_is_not_html_escaped(smtp_server: Any, at_start: None) -> None:
    context = _context()
    context["inviter"] = {"full_name": "Dr. O'Neil & Co"}
    email = email_send(to=["ada@example.com"], template="invitation", context=context)
    assert email is not None
    assert "Dr. O'Neil & Co invited you" in email.subject
