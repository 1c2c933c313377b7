from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from matchway.accounts.tests.factories import UserFactory
from matchway.core import clock
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    NotFound,
    RateLimited,
    ValidationFailed,
)
from matchway.core.models import AuditEvent
from matchway.experience.models import AttendanceRecord, Evaluation, JournalEntry
from matchway.letters.models import (
    Letter,
    LetterAssignment,
    LetterKind,
    LetterRequest,
    LetterStatus,
)
from matchway.letters.selectors import SYSTEM, letter_get, writer_token_resolve
from matchway.letters.services.assignments import letter_assign, letter_unassign
from matchway.letters.services.compose import (
    MSG_LETTER_ID_TAKEN,
    letter_request_create,
    letter_request_update,
)
from matchway.letters.services.requests import (
    letter_request_nudge,
    letter_request_renew_link,
    letter_request_send,
    letter_request_withdraw,
)
from matchway.letters.services.writer import (
    letter_confirm_eras,
    letter_finalize,
    letter_request_accept,
    letter_request_decline,
    letter_upload,
)

from .factories import (
    last_link_token,
    request_input,
    rotation_application,
    sent_request,
    token_viewer,
    uploaded_request,
    validated_pdf,
)

pytestmark = pytest.mark.django_db


def test_draft_then_send_issues_link_and_emails_writer(applicant: Any) -> None:
    req = letter_request_create(actor=applicant, data=request_input())
    assert req.status == LetterStatus.DRAFT
    assert mail.outbox == []
    letter_request_send(actor=applicant, letter_request=req)
    req.refresh_from_db()
    assert req.status == LetterStatus.REQUESTED
    assert req.requested_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wendy.writer@example.org"]
    assert message.reply_to == [applicant.email]
    token = last_link_token()
    viewer = writer_token_resolve(token)
    assert viewer is not None
    assert viewer.request_id == req.pk
    assert len(message.alternatives) == 1  # text and HTML


def test_message_defaults_to_our_template(applicant: Any) -> None:
    req = letter_request_create(actor=applicant, data=request_input(message=""))
    # Issue #17: greeted by title and family name, as a person would write it.
    assert req.message.startswith("Dear Dr. Writer,")
    assert "waived my right to see the letter" in req.message


def test_message_greets_by_title_from_the_writers_degrees(applicant: Any) -> None:
    req = letter_request_create(
        actor=applicant,
        data=request_input(message="", writer_name="Priya Raman, MD", writer_title=""),
    )
    assert req.message.startswith("Dear Dr. Raman,")


def test_emptying_a_drafts_message_writes_our_template_for_the_new_details(
    applicant: Any,
) -> None:
    req = letter_request_create(actor=applicant, data=request_input(message="My own words."))
    assert req.message == "My own words."
    letter_request_update(
        actor=applicant, letter_request=req, data=request_input(message="", waived=False)
    )
    req.refresh_from_db()
    assert req.message.startswith("Dear Dr. Writer,")
    assert "waived my right to see the letter" not in req.message
    assert not req.waived


def test_only_applicants_ask(preceptor: Any) -> None:
    with pytest.raises(AccessDenied):
        letter_request_create(actor=preceptor, data=request_input())


def test_applicant_cannot_write_own_letter(applicant: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(
            actor=applicant, data=request_input(writer_email=applicant.email.upper())
        )
    assert "writer_email" in exc.value.errors


def test_validation_reports_every_field(applicant: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(
            actor=applicant,
            data=request_input(
                writer_name="",
                writer_email="",
                due_date=clock.provider_today() - dt.timedelta(days=1),
                specialty_code="nope",
                eras_letter_id="bad\nid",
            ),
        )
    assert set(exc.value.errors) >= {
        "writer_name",
        "writer_email",
        "due_date",
        "specialty_code",
        "eras_letter_id",
    }


def test_standardized_letter_needs_a_specialty(applicant: Any, reference_data: None) -> None:
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(actor=applicant, data=request_input(kind=LetterKind.STANDARDIZED))
    assert "specialty_code" in exc.value.errors
    req = letter_request_create(
        actor=applicant, data=request_input(kind=LetterKind.STANDARDIZED, specialty_code="080")
    )
    assert req.is_standardized


def test_letter_id_is_opaque_trimmed_and_unique_per_live_request(applicant: Any) -> None:
    first = letter_request_create(
        actor=applicant, data=request_input(eras_letter_id="  ab-12 X/9  ")
    )
    assert first.eras_letter_id == "ab-12 X/9"
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(
            actor=applicant,
            data=request_input(eras_letter_id="ab-12 X/9", writer_email="other@example.org"),
        )
    assert exc.value.errors["eras_letter_id"] == [str(MSG_LETTER_ID_TAKEN)]
    letter_request_withdraw(actor=applicant, letter_request=first)
    # Once the first is closed, the ID may be reused.
    letter_request_create(
        actor=applicant,
        data=request_input(eras_letter_id="ab-12 X/9", writer_email="other@example.org"),
    )


def test_preceptor_writer_from_rotation(applicant: Any, preceptor: Any) -> None:
    application = rotation_application(applicant, preceptor)
    req = letter_request_create(
        actor=applicant,
        data=request_input(
            application_id=application.pk, writer_id=preceptor.pk, writer_name="", writer_email=""
        ),
        send=True,
    )
    assert req.writer == preceptor
    assert req.writer_email == preceptor.email
    assert req.brag_sheet["rotation"]["title"] == application.session.rotation.title


def test_preceptor_who_opted_out_is_refused(applicant: Any, preceptor: Any) -> None:
    preceptor.preceptor_profile.accepts_letter_requests = False
    preceptor.preceptor_profile.save()
    application = rotation_application(applicant, preceptor)
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(
            actor=applicant,
            data=request_input(application_id=application.pk, writer_id=preceptor.pk),
        )
    assert "writer" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(actor=applicant, data=request_input(writer_email=preceptor.email))
    assert "writer_email" in exc.value.errors


def test_outside_email_of_a_preceptor_links_the_account(applicant: Any, preceptor: Any) -> None:
    req = sent_request(applicant, writer_email=preceptor.email.upper())
    assert req.writer == preceptor


def test_writer_of_someone_elses_rotation_is_refused(
    applicant: Any, outsider: Any, preceptor: Any
) -> None:
    rotation_application(outsider, preceptor)
    with pytest.raises(ValidationFailed):
        letter_request_create(actor=applicant, data=request_input(writer_id=preceptor.pk))


def test_brag_notes_with_phi_are_refused(applicant: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(
            actor=applicant,
            data=request_input(brag_notes="I followed patient John Smith, MRN 445566."),
        )
    assert "brag_notes" in exc.value.errors


def test_brag_sheet_drops_journal_sentences_with_phi(applicant: Any, preceptor: Any) -> None:
    application = rotation_application(applicant, preceptor)
    AttendanceRecord.objects.create(
        application=application, day=application.session.start_date, hours=8, confirmed_by=preceptor
    )
    JournalEntry.objects.create(
        application=application,
        kind="case_log",
        entry_date=application.session.start_date,
        data={
            "diagnosis_category": "Heart failure",
            "my_role": "assisted",
            "procedures": "ECG interpretation, bedside ultrasound",
            "teaching_point": (
                "Daily weights guide diuresis. Mr. Jones in bed 4 was admitted on 03/04/2026."
            ),
        },
        is_draft=False,
    )
    JournalEntry.objects.create(
        application=application,
        kind="reflection",
        entry_date=application.session.start_date,
        data={"skills_practiced": "Presenting concisely on rounds. Call 212-555-0100 for results."},
        is_draft=False,
    )
    Evaluation.objects.create(
        application=application,
        kind="preceptor",
        evaluator=preceptor,
        ratings={"PROF": 5, "MK": 3},
        strengths="Reliable and kind with families. Always prepared.",
        submitted_at=clock.now(),
    )
    req = letter_request_create(actor=applicant, data=request_input(application_id=application.pk))
    sheet = req.brag_sheet
    assert sheet["hours_confirmed"] == "8.0"
    assert sheet["case_mix"] == [{"label": "Heart failure", "count": 1}]
    assert sheet["teaching_points"] == ["Daily weights guide diuresis."]
    assert sheet["skills"] == ["Presenting concisely on rounds."]
    assert "ECG interpretation" in sheet["procedures"]
    assert sheet["evaluation_strengths"] == ["Reliable and kind with families.", "Always prepared."]
    assert sheet["dropped_for_privacy"] == 2
    text = str(sheet)
    assert "Jones" not in text
    assert "212-555-0100" not in text


def test_writer_flow_accept_upload_replace_finalize(applicant: Any) -> None:
    req = sent_request(applicant)
    token = last_link_token()
    viewer = token_viewer(token)
    letter_request_accept(actor=viewer, letter_request=req)
    req.refresh_from_db()
    assert req.status == LetterStatus.ACCEPTED
    mail.outbox.clear()
    letter_upload(actor=viewer, letter_request=req, file=validated_pdf("v1"))
    req.refresh_from_db()
    assert req.status == LetterStatus.UPLOADED
    assert [m.subject for m in mail.outbox] == [
        f"[Matchway] Your letter from {req.writer_name} is in"
    ]
    letter = letter_get(viewer=SYSTEM, letter_request=req)
    assert letter is not None
    first_name, first_sha = letter.file.name, letter.sha256
    letter_upload(actor=viewer, letter_request=req, file=validated_pdf("v2", pages=3))
    letter.refresh_from_db()
    assert letter.version == 2
    assert letter.pages == 3
    assert letter.sha256 != first_sha
    assert not letter.file.storage.exists(first_name)  # superseded file removed after commit
    assert len(mail.outbox) == 1  # a replacement does not re-announce
    letter_finalize(actor=viewer, letter_request=req, eras_uploaded=True)
    req.refresh_from_db()
    assert req.finalized_at is not None
    assert req.eras_uploaded_at is not None
    assert writer_token_resolve(token) is None
    with pytest.raises(NotFound):
        letter_upload(actor=viewer, letter_request=req, file=validated_pdf("v3"))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "letter_request.created",
        "letter_request.sent",
        "letter_request.accepted",
        "letter.uploaded",
        "letter.replaced",
        "letter.finalized",
    } <= actions


def test_audit_data_never_carries_file_facts(applicant: Any) -> None:
    req = uploaded_request(applicant)
    letter = letter_get(viewer=SYSTEM, letter_request=req)
    assert letter is not None
    for event in AuditEvent.objects.all():
        blob = f"{event.data} {event.target_label}"
        assert letter.sha256 not in blob
        assert letter.original_name not in blob
        assert str(letter.size) not in blob


def test_finalize_needs_an_upload(applicant: Any) -> None:
    req = sent_request(applicant)
    viewer = token_viewer(last_link_token())
    with pytest.raises(InvalidTransition):
        letter_finalize(actor=viewer, letter_request=req)


def test_decline_kills_links_and_tells_applicant(applicant: Any) -> None:
    req = sent_request(applicant)
    token = last_link_token()
    letter_request_decline(
        actor=token_viewer(token), letter_request=req, note="I am on leave until March."
    )
    req.refresh_from_db()
    assert req.status == LetterStatus.DECLINED
    assert writer_token_resolve(token) is None
    assert "I am on leave until March." in mail.outbox[-1].body
    assert mail.outbox[-1].to == [applicant.email]


def test_standardized_letter_is_status_only(applicant: Any, reference_data: None) -> None:
    req = sent_request(applicant, kind=LetterKind.STANDARDIZED, specialty_code="110")
    viewer = token_viewer(last_link_token())
    with pytest.raises(InvalidTransition):
        letter_upload(actor=viewer, letter_request=req, file=validated_pdf())
    letter_confirm_eras(actor=viewer, letter_request=req)
    req.refresh_from_db()
    assert req.status == LetterStatus.UPLOADED
    assert req.finalized_at
    assert req.eras_uploaded_at
    letter = letter_get(viewer=SYSTEM, letter_request=req)
    assert letter is not None
    assert not letter.has_file


def test_withdraw_kills_links_and_tells_writer(applicant: Any) -> None:
    req = sent_request(applicant)
    token = last_link_token()
    letter_request_withdraw(actor=applicant, letter_request=req, reason="Changed plans")
    req.refresh_from_db()
    assert req.status == LetterStatus.WITHDRAWN
    assert writer_token_resolve(token) is None
    assert mail.outbox[-1].to == ["wendy.writer@example.org"]
    with pytest.raises(InvalidTransition):
        letter_request_withdraw(actor=applicant, letter_request=req)


def test_someone_elses_request_is_not_found(applicant: Any, outsider: Any) -> None:
    req = sent_request(applicant)
    for action in (
        letter_request_withdraw,
        letter_request_nudge,
        letter_request_renew_link,
        letter_request_send,
    ):
        with pytest.raises(NotFound):
            action(actor=outsider, letter_request=req)


def test_nudge_at_most_once_every_seven_days(applicant: Any) -> None:
    req = sent_request(applicant)
    mail.outbox.clear()
    # Issue #17: not right after the request went out either.
    with pytest.raises(RateLimited) as early:
        letter_request_nudge(actor=applicant, letter_request=req)
    assert "less than a week ago" in early.value.message
    assert mail.outbox == []
    LetterRequest.objects.filter(pk=req.pk).update(
        requested_at=clock.now() - dt.timedelta(days=7, minutes=1)
    )
    letter_request_nudge(actor=applicant, letter_request=req)
    assert len(mail.outbox) == 1
    with pytest.raises(RateLimited) as exc:
        letter_request_nudge(actor=applicant, letter_request=req)
    assert exc.value.code == "rate_limited"
    assert len(mail.outbox) == 1
    LetterRequest.objects.filter(pk=req.pk).update(
        last_nudged_at=clock.now() - dt.timedelta(days=7, minutes=1)
    )
    letter_request_nudge(actor=applicant, letter_request=req)
    assert len(mail.outbox) == 2


def test_nudge_keeps_earlier_links_but_renew_kills_them(applicant: Any) -> None:
    req = sent_request(applicant)
    LetterRequest.objects.filter(pk=req.pk).update(requested_at=clock.now() - dt.timedelta(days=8))
    first = last_link_token()
    letter_request_nudge(actor=applicant, letter_request=req)
    second = last_link_token()
    assert first != second
    assert writer_token_resolve(first) is not None
    letter_request_renew_link(actor=applicant, letter_request=req)
    third = last_link_token()
    assert writer_token_resolve(first) is None
    assert writer_token_resolve(second) is None
    assert writer_token_resolve(third) is not None


def test_nudge_refused_once_the_letter_is_in(applicant: Any) -> None:
    req = uploaded_request(applicant, final=False)
    with pytest.raises(InvalidTransition):
        letter_request_nudge(actor=applicant, letter_request=req)


def test_live_request_only_changes_letter_id_and_due_date(applicant: Any) -> None:
    req = sent_request(applicant)
    data = request_input(eras_letter_id="LOR-1", due_date=req.due_date + dt.timedelta(days=3))
    letter_request_update(actor=applicant, letter_request=req, data=data)
    req.refresh_from_db()
    assert req.eras_letter_id == "LOR-1"
    data = request_input(waived=False, due_date=req.due_date)
    with pytest.raises(ValidationFailed):
        letter_request_update(actor=applicant, letter_request=req, data=data)


# --- at most 4 letters per program -----------------------------------------------------


def _letters(applicant: Any, n: int) -> list[Letter]:
    letters = []
    for i in range(n):
        req = uploaded_request(applicant, writer_email=f"writer{i}@example.org")
        letter = letter_get(viewer=SYSTEM, letter_request=req)
        assert letter is not None
        letters.append(letter)
    return letters


def test_assignment_allows_four_letters_per_program(applicant: Any) -> None:
    letters = _letters(applicant, 5)
    for letter in letters[:4]:
        letter_assign(actor=applicant, letter_id=letter.pk, program_label="Lakeside IM")
    with pytest.raises(ValidationFailed) as exc:
        letter_assign(actor=applicant, letter_id=letters[4].pk, program_label=" lakeside   im ")
    assert "at most" in str(exc.value.errors) or "already has 4" in str(exc.value.errors)
    assert sorted(LetterAssignment.objects.values_list("slot", flat=True)) == [1, 2, 3, 4]
    # Another program is independent; the same letter cannot be assigned twice to one.
    letter_assign(actor=applicant, letter_id=letters[4].pk, program_label="Other FM")
    with pytest.raises(ValidationFailed):
        letter_assign(actor=applicant, letter_id=letters[4].pk, program_label="other fm")
    # Removing one frees its slot.
    first = LetterAssignment.objects.get(letter=letters[0])
    letter_unassign(actor=applicant, assignment=first)
    again = letter_assign(actor=applicant, letter_id=letters[4].pk, program_label="Lakeside IM")
    assert again.slot == first.slot


def test_database_refuses_a_fifth_slot_or_a_duplicate_slot(applicant: Any) -> None:
    letters = _letters(applicant, 2)
    base = {"applicant": applicant, "program_label": "P", "program_key": "p"}
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterAssignment.objects.create(letter=letters[0], slot=5, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterAssignment.objects.create(letter=letters[0], slot=0, **base)
    LetterAssignment.objects.create(letter=letters[0], slot=1, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterAssignment.objects.create(letter=letters[1], slot=1, **base)


def test_outsider_cannot_assign_someone_elses_letter(applicant: Any, outsider: Any) -> None:
    (letter,) = _letters(applicant, 1)
    with pytest.raises(NotFound):
        letter_assign(actor=outsider, letter_id=letter.pk, program_label="X")


def test_withdrawing_removes_assignments(applicant: Any) -> None:
    (letter,) = _letters(applicant, 1)
    letter_assign(actor=applicant, letter_id=letter.pk, program_label="X")
    letter_request_withdraw(actor=applicant, letter_request=letter.request)
    assert not LetterAssignment.objects.exists()


def test_writer_with_account_acts_without_link(applicant: Any, preceptor: Any) -> None:
    req = sent_request(applicant, writer_email=preceptor.email)
    letter_request_accept(actor=preceptor, letter_request=req)
    other = UserFactory(role="preceptor")
    with pytest.raises(NotFound):
        letter_upload(actor=other, letter_request=req, file=validated_pdf())
    letter_upload(actor=preceptor, letter_request=req, file=validated_pdf())
    letter_finalize(actor=preceptor, letter_request=req)
    letter_confirm_eras(actor=preceptor, letter_request=req)
    req.refresh_from_db()
    assert req.eras_uploaded_at is not None
