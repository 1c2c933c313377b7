"""Mail that can fail without losing anything (docs/dev/email.md), against a local SMTP
server (`smtp_server`): every change is kept, the user gets a normal answer, the email is
retried and sent when the server is back, and no stored file is deleted."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import Invitation, User
from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import OutboundEmail, OutboundEmailStatus
from matchway.core.periodic import emails_retry
from matchway.letters.models import Letter
from matchway.letters.services.writer import letter_request_accept, letter_upload
from matchway.letters.tests.factories import (
    last_link_token,
    sent_request,
    token_viewer,
    validated_pdf,
)
from matchway.rotations.models import Application, ApplicationStatus, BookingMode
from matchway.rotations.services.sessions import session_cancel
from matchway.rotations.tests.factories import RotationFactory, RotationSessionFactory

API = "/api/v1"
START = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_start(time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)


def _book(client: Client, preceptor: User) -> Any:
    session = RotationSessionFactory(
        rotation=RotationFactory(preceptors=[preceptor]),
        capacity=2,
        booking_mode=BookingMode.INSTANT,
    )
    return client.post(
        f"{API}/sessions/{session.pk}/applications", "{}", content_type="application/json"
    )


def test_booking_with_the_mail_server_down_succeeds_and_mail_follows(
    applicant_client: Client, preceptor: User, smtp_server: Any, time_machine: Any, at_start: None
) -> None:
    smtp_server.set_mode("down")
    response = _book(applicant_client, preceptor)
    assert response.status_code == 201, response.content
    assert Application.objects.get().status == ApplicationStatus.ACCEPTED
    queued = OutboundEmail.objects.filter(status=OutboundEmailStatus.QUEUED)
    assert queued.exists()
    assert all(e.last_error.startswith("ConnectionRefusedError") for e in queued)

    smtp_server.set_mode("record")
    time_machine.move_to(START + dt.timedelta(minutes=1), tick=False)
    assert emails_retry() == queued.count() > 0
    assert not OutboundEmail.objects.exclude(status=OutboundEmailStatus.SENT).exists()
    assert smtp_server.received


def test_booking_with_a_hung_mail_server_answers_quickly(
    applicant_client: Client, preceptor: User, smtp_server: Any, at_start: None
) -> None:
    smtp_server.set_mode("hang")
    started = time.monotonic()
    response = _book(applicant_client, preceptor)
    assert response.status_code == 201, response.content
    # Before: no timeout, the request waited for the server (30 s here) on every email.
    assert time.monotonic() - started < 10
    assert Application.objects.get().status == ApplicationStatus.ACCEPTED


def test_invitation_with_the_mail_server_down_redirects_and_is_kept(
    coordinator_client: Client, smtp_server: Any, at_start: None
) -> None:
    smtp_server.set_mode("down")
    response = coordinator_client.post(
        reverse("accounts:invitations"),
        {"full_name": "Pat Preceptor", "email": "pat@example.org", "role": "preceptor"},
    )
    assert response.status_code == 302  # before: ConnectionRefusedError after commit, a 500
    assert Invitation.objects.filter(email="pat@example.org").exists()
    assert OutboundEmail.objects.get().status == OutboundEmailStatus.QUEUED


def test_letter_upload_with_failing_mail_keeps_the_file_and_the_row(
    applicant: User,
    smtp_server: Any,
    settings: Any,
    at_start: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    smtp_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        req = sent_request(applicant)
    viewer = token_viewer(last_link_token())
    letter_request_accept(actor=viewer, letter_request=req)
    settings.EMAIL_BACKEND = smtp_backend
    smtp_server.set_mode("down")
    with django_capture_on_commit_callbacks(execute=True):
        letter_upload(actor=viewer, letter_request=req, file=validated_pdf())
    letter = Letter.objects.get(request=req)
    assert letter.file.storage.exists(letter.file.name)
    queued = OutboundEmail.objects.get(template="letter_arrived")
    assert queued.status == OutboundEmailStatus.QUEUED


@pytest.mark.django_db(transaction=True)
def test_letter_upload_keeps_the_file_when_an_after_commit_step_fails(
    applicant: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file goes only if the transaction rolls back: a failure after the commit (here
    an on-commit callback that raises, as `message.send` did) must not delete the file the
    committed row names. Real commits: the callback runs inside `letter_upload`."""
    req = sent_request(applicant)
    viewer = token_viewer(last_link_token())
    letter_request_accept(actor=viewer, letter_request=req)

    def broken_email(**kwargs: Any) -> None:
        from django.db import transaction

        def fail() -> None:
            raise ConnectionRefusedError("mail server down")

        transaction.on_commit(fail)

    monkeypatch.setattr("matchway.letters.services.writer.email_send", broken_email)
    with pytest.raises(ConnectionRefusedError):
        letter_upload(actor=viewer, letter_request=req, file=validated_pdf())
    letter = Letter.objects.get(request=req)
    assert letter.file.storage.exists(letter.file.name)


def test_session_cancel_notifies_everyone_despite_one_failure(
    coordinator: User,
    preceptor: User,
    smtp_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    at_start: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = RotationSessionFactory(
        rotation=RotationFactory(preceptors=[preceptor]), capacity=5, booking_mode="instant"
    )
    people = [UserFactory(role="applicant", email=f"a{i}@example.com") for i in range(3)]
    for person in people:
        Application.objects.create(
            applicant=person, session=session, status=ApplicationStatus.SUBMITTED
        )
    smtp_server.reject.add("a0@example.com")
    import matchway.rotations.services.sessions as sessions

    real = sessions.email_send
    calls: list[str] = []

    def first_fails(**kwargs: Any) -> Any:
        calls.append(kwargs["to"][0])
        if len(calls) == 1:
            raise RuntimeError("template broke for this person")
        return real(**kwargs)

    monkeypatch.setattr(sessions, "email_send", first_fails)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(actor=coordinator, session=session, reason="Preceptor ill")
    assert len(calls) == 4  # three applicants and the preceptor, despite the first failure
    sent_to = {r for received in smtp_server.received for r in received.recipients}
    assert sent_to == set(calls[1:]) - {"a0@example.com"}
