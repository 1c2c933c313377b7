"""Rules the edit page used to hold, now in `services.compose` / `services.writer`, and the
provider-zone dates (`clock.provider_today()`) of due-date checks."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from time_machine import TimeMachineFixture

from matchway.core.exceptions import InvalidTransition, UploadRejected, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.letters.models import LetterRequest, LetterStatus
from matchway.letters.selectors import SYSTEM, letter_get, letter_request_view
from matchway.letters.services import compose
from matchway.letters.services.compose import (
    RequestChanges,
    letter_request_create,
    letter_request_is_editable,
    letter_request_is_live,
    letter_request_update,
)
from matchway.letters.services.requests import letter_request_withdraw
from matchway.letters.services.writer import (
    letter_request_accept,
    letter_request_decline,
    letter_request_takes_writer_action,
    letter_upload,
)

from .factories import (
    last_link_token,
    request_input,
    sent_request,
    token_viewer,
    uploaded_request,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("provider_afternoon")]


# --- which requests can be edited -----------------------------------------------------------


def test_drafts_and_requests_the_writer_can_act_on_are_editable(applicant: Any) -> None:
    draft = letter_request_create(actor=applicant, data=request_input())
    assert letter_request_is_editable(draft) and not letter_request_is_live(draft)
    sent = sent_request(applicant, writer_email="a@example.org")
    assert letter_request_is_editable(sent) and letter_request_is_live(sent)
    letter_request_accept(actor=token_viewer(last_link_token()), letter_request=sent)
    sent.refresh_from_db()
    assert letter_request_is_editable(sent)
    assert letter_request_is_editable(uploaded_request(applicant, final=False))


def test_final_declined_and_withdrawn_requests_are_not_editable(applicant: Any) -> None:
    final = uploaded_request(applicant, final=True)
    declined = sent_request(applicant, writer_email="d@example.org")
    letter_request_decline(actor=token_viewer(last_link_token()), letter_request=declined)
    withdrawn = sent_request(applicant, writer_email="w@example.org")
    letter_request_withdraw(actor=applicant, letter_request=withdrawn)
    for req in (final, declined, withdrawn):
        req.refresh_from_db()
        assert not letter_request_is_editable(req)
        with pytest.raises(InvalidTransition):
            letter_request_update(
                actor=applicant,
                letter_request=req,
                data=RequestChanges(due_date=req.due_date, eras_letter_id="LOR-9"),
            )
    final.refresh_from_db()
    assert final.eras_letter_id == ""


# --- which fields a sent request takes --------------------------------------------------------


def test_changes_to_a_sent_request_keep_its_promises(applicant: Any) -> None:
    req = sent_request(applicant, waived=True, route_to_coordinators=True)
    new_due = req.due_date + dt.timedelta(days=5)
    letter_request_update(
        actor=applicant,
        letter_request=req,
        data=RequestChanges(due_date=new_due, eras_letter_id=" LOR-7 "),
    )
    req.refresh_from_db()
    assert (req.due_date, req.eras_letter_id) == (new_due, "LOR-7")
    assert req.waived and req.route_to_coordinators and req.status == LetterStatus.REQUESTED


def test_changes_for_a_draft_are_refused(applicant: Any) -> None:
    draft = letter_request_create(actor=applicant, data=request_input())
    with pytest.raises(InvalidTransition):
        letter_request_update(
            actor=applicant,
            letter_request=draft,
            data=RequestChanges(due_date=draft.due_date),
        )


# --- update and send in one transaction -------------------------------------------------------


def test_update_with_send_saves_and_sends_a_draft(applicant: Any) -> None:
    draft = letter_request_create(actor=applicant, data=request_input())
    letter_request_update(
        actor=applicant,
        letter_request=draft,
        data=request_input(eras_letter_id="LOR-1"),
        send=True,
    )
    draft.refresh_from_db()
    assert draft.status == LetterStatus.REQUESTED and draft.eras_letter_id == "LOR-1"
    assert [m.to for m in mail.outbox] == [["wendy.writer@example.org"]]
    actions = list(
        AuditEvent.objects.filter(target_id=str(draft.pk)).values_list("action", flat=True)
    )
    assert "letter_request.updated" in actions and "letter_request.sent" in actions


def test_a_refused_send_rolls_the_edit_back(applicant: Any, monkeypatch: Any) -> None:
    draft = letter_request_create(actor=applicant, data=request_input())

    def refuse(**kwargs: Any) -> LetterRequest:
        # Stands in for any failure while sending (the edit must not stay half-done).
        raise ValidationFailed(errors={"due_date": ["refused"]})

    monkeypatch.setattr(compose, "letter_request_send", refuse)
    with pytest.raises(ValidationFailed):
        letter_request_update(
            actor=applicant,
            letter_request=draft,
            data=request_input(eras_letter_id="LOR-2"),
            send=True,
        )
    draft.refresh_from_db()
    assert draft.eras_letter_id == "" and draft.status == LetterStatus.DRAFT


def test_send_flag_does_nothing_more_on_a_sent_request(applicant: Any) -> None:
    req = sent_request(applicant)
    mail.outbox.clear()
    letter_request_update(
        actor=applicant,
        letter_request=req,
        data=RequestChanges(due_date=req.due_date, eras_letter_id="LOR-3"),
        send=True,
    )
    req.refresh_from_db()
    assert req.eras_letter_id == "LOR-3" and mail.outbox == []


# --- writer: what a final letter still takes, and the PDF check ----------------------------


def test_a_final_letter_takes_only_the_eras_confirmation(applicant: Any) -> None:
    final = uploaded_request(applicant, final=True)
    assert letter_request_takes_writer_action(final, action="eras")
    for action in ("accept", "decline", "upload", "finalize"):
        assert not letter_request_takes_writer_action(final, action=action)
    waiting = sent_request(applicant, writer_email="x@example.org")
    assert letter_request_takes_writer_action(waiting, action="upload")


def test_upload_checks_a_raw_file_before_storing_anything(applicant: Any) -> None:
    req = sent_request(applicant)
    viewer = token_viewer(last_link_token())
    html = SimpleUploadedFile("letter.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(UploadRejected):
        letter_upload(actor=viewer, letter_request=req, file=html)
    req.refresh_from_db()
    assert req.status == LetterStatus.REQUESTED
    assert letter_get(viewer=SYSTEM, letter_request=req) is None


# --- dates are the provider's ---------------------------------------------------------------


def test_due_dates_compare_with_the_provider_day_not_utc(
    applicant: Any, time_machine: TimeMachineFixture
) -> None:
    # 22:00 in New York (the provider) is already tomorrow in UTC.
    time_machine.move_to(dt.datetime(2026, 3, 9, 22, 0, tzinfo=ZoneInfo("America/New_York")))
    today = dt.date(2026, 3, 9)
    req = letter_request_create(actor=applicant, data=request_input(due_date=today))
    assert req.due_date == today
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(
            actor=applicant, data=request_input(due_date=today - dt.timedelta(days=1))
        )
    assert "due_date" in exc.value.errors


def test_overdue_flips_on_the_provider_day_after_the_due_date(
    applicant: Any, time_machine: TimeMachineFixture
) -> None:
    due = dt.date(2026, 3, 20)
    req = sent_request(applicant, due_date=due)
    time_machine.move_to(dt.datetime(2026, 3, 20, 23, 30, tzinfo=ZoneInfo("America/New_York")))
    assert not letter_request_view(viewer=applicant, letter_request=req).is_overdue
    time_machine.move_to(dt.datetime(2026, 3, 21, 0, 30, tzinfo=ZoneInfo("America/New_York")))
    assert letter_request_view(viewer=applicant, letter_request=req).is_overdue
