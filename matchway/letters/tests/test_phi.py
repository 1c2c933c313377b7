"""The PHI guard on what leaves an applicant or writer in letters (docs/dev/phi-guard.md):
the message to the writer, the brag-sheet notes and the writer's decline note. The
request's own parties (writer, applicant) and facts (dates, Letter ID) are not findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from matchway.core import clock
from matchway.core.exceptions import PhiDetected, ValidationFailed
from matchway.documents.tests.factories import upload_document
from matchway.letters.models import LetterRequest, LetterStatus
from matchway.letters.services.compose import (
    letter_message_default,
    letter_request_create,
    letter_request_update,
)
from matchway.letters.services.writer import (
    letter_request_accept,
    letter_request_decline,
    letter_upload,
)

from .factories import (
    last_link_token,
    request_input,
    rotation_application,
    token_viewer,
    validated_pdf,
)

pytestmark = pytest.mark.django_db

PHI = "I presented Mrs. Canary Jane Doe, MRN 88442211, DOB 03/04/1950, on rounds."


def test_default_message_from_a_rotation_passes(applicant: Any, preceptor: Any) -> None:
    application = rotation_application(applicant, preceptor)
    due = clock.provider_today() + dt.timedelta(days=42)
    message = letter_message_default(
        applicant=applicant,
        writer_name=preceptor.get_full_name(),
        application=application,
        specialty_code="general",
        due_date=due,
        eras_letter_id="7QX4K2RT9A",
    )
    req = letter_request_create(
        actor=applicant,
        data=request_input(
            application_id=application.pk,
            writer_id=preceptor.pk,
            writer_name="",
            writer_email="",
            due_date=due,
            eras_letter_id="7QX4K2RT9A",
            message=message,
        ),
    )
    assert req.message == message


def test_own_words_naming_the_writer_and_applicant_pass(applicant: Any) -> None:
    text = (
        "Dear Dr. Wendy Writer, thank you again — Dr. Writer, your teaching on rounds meant a "
        "lot. You can reach me at alice@example.com.\nBest,\nAlice Adeyemi"
    )
    req = letter_request_create(actor=applicant, data=request_input(message=text))
    assert req.message == text


def test_message_with_phi_is_refused_and_nothing_is_sent(applicant: Any) -> None:
    with pytest.raises(PhiDetected) as exc:
        letter_request_create(actor=applicant, data=request_input(message=PHI), send=True)
    assert set(exc.value.errors) == {"message"}
    assert {"88442211", "03/04/1950"} <= {f.text for f in exc.value.findings["message"]}
    assert not LetterRequest.objects.exists()
    assert mail.outbox == []


def test_brag_notes_with_phi_raise_the_shared_error(applicant: Any) -> None:
    with pytest.raises(PhiDetected) as exc:
        letter_request_create(actor=applicant, data=request_input(brag_notes=PHI))
    assert set(exc.value.errors) == {"brag_notes"}


def test_phi_findings_join_other_field_errors(applicant: Any) -> None:
    past = clock.provider_today() - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        letter_request_create(actor=applicant, data=request_input(message=PHI, due_date=past))
    assert {"message", "due_date"} <= set(exc.value.errors)


def test_editing_a_draft_refuses_phi(applicant: Any) -> None:
    req = letter_request_create(actor=applicant, data=request_input())
    with pytest.raises(PhiDetected):
        letter_request_update(
            actor=applicant, letter_request=req, data=request_input(message=PHI), send=True
        )
    req.refresh_from_db()
    assert "88442211" not in req.message
    assert req.status == LetterStatus.DRAFT


def test_writer_decline_note_with_phi_is_refused(applicant: Any) -> None:
    req = letter_request_create(actor=applicant, data=request_input(), send=True)
    viewer = token_viewer(last_link_token())
    mail.outbox.clear()
    with pytest.raises(PhiDetected):
        letter_request_decline(actor=viewer, letter_request=req, note=PHI)
    req.refresh_from_db()
    assert req.status == LetterStatus.REQUESTED
    assert mail.outbox == []
    letter_request_decline(
        actor=viewer, letter_request=req, note="Alice Adeyemi, I am away that month. Dr. Writer"
    )
    req.refresh_from_db()
    assert req.status == LetterStatus.DECLINED


def _compose(**overrides: Any) -> dict[str, Any]:
    data = {
        "writer_name": "Dr. Olu Bello",
        "writer_email": "olu.bello@example.org",
        "writer_title": "MD",
        "kind": "narrative",
        "specialty_code": "general",
        "due_date": (clock.provider_today() + dt.timedelta(days=40)).isoformat(),
        "eras_letter_id": "",
        "waived": "yes",
        "message": "Dear Dr. Bello, thank you.",
        "brag_notes": "",
    }
    data.update(overrides)
    return data


def test_composer_default_passes_and_phi_is_shown_again_with_findings(
    applicant: Any, applicant_client: Client, preceptor: Any
) -> None:
    application = rotation_application(applicant, preceptor)
    url = reverse("letters:request-create") + f"?application={application.pk}&writer={preceptor.pk}"
    page = applicant_client.get(url)
    message = page.context["form"].initial["message"]
    data = _compose(message=PHI, brag_notes="I ran the huddle.")
    for key in ("writer_name", "writer_email", "writer_title"):
        data.pop(key)
    response = applicant_client.post(url, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Possible patient identifiers" in body
    assert "88442211" in body  # the text is kept in the form, with the findings
    assert "I ran the huddle." in body
    assert not LetterRequest.objects.exists()
    response = applicant_client.post(url, {**data, "message": message, "send": "1"})
    assert response.status_code == 302
    assert LetterRequest.objects.get().status == LetterStatus.REQUESTED


def test_api_refuses_phi_with_findings(applicant_client: Client) -> None:
    body = {
        "writer_name": "Dr. Ada Obi",
        "writer_email": "ada.obi@example.org",
        "due_date": (clock.provider_today() + dt.timedelta(days=35)).isoformat(),
        "waived": True,
        "message": "Dear Dr. Ada Obi,\n" + PHI,
    }
    url = "/api/v1/me/letter-requests"
    response = applicant_client.post(url, body, content_type="application/json")
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "phi_detected"
    assert {f["field"] for f in data["findings"]} == {"message"}
    assert "Dr. Ada Obi" not in {f["text"] for f in data["findings"]}
    ok = applicant_client.post(
        url, {**body, "message": "Dear Dr. Obi, thank you."}, content_type="application/json"
    )
    assert ok.status_code == 201


def test_writer_page_keeps_the_decline_note_and_shows_findings(
    applicant: Any, client: Client
) -> None:
    letter_request_create(actor=applicant, data=request_input(), send=True)
    url = reverse("letters:write", args=[last_link_token()])
    response = client.post(url, {"action": "decline", "note": PHI})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Possible patient identifiers" in body
    assert "88442211" in body
    assert LetterRequest.objects.get().status == LetterStatus.REQUESTED


def test_the_writers_file_name_stays_the_writers(
    applicant: Any, applicant_client: Client, client: Client
) -> None:
    req = letter_request_create(actor=applicant, data=request_input(waived=False), send=True)
    token = last_link_token()
    viewer = token_viewer(token)
    letter_request_accept(actor=viewer, letter_request=req)
    letter_upload(
        actor=viewer, letter_request=req, file=validated_pdf(name="Mrs Canary Doe 88442211.pdf")
    )
    letter = applicant_client.get(f"/api/v1/me/letter-requests/{req.pk}").json()["letter"]
    assert letter["original_name"] == f"letter-{req.pk}.pdf"
    page = client.get(reverse("letters:write", args=[token])).content.decode()
    assert "88442211" in page  # the writer still sees what they uploaded


def test_brag_sheet_guard_names_and_visibility(
    applicant: Any,
    applicant_client: Client,
    outsider_client: Client,
    preceptor_client: Client,
    client: Client,
    reference_data: None,
) -> None:
    cv = upload_document(applicant, "cv", name="Mrs Canary Doe MRN 88442211.pdf")
    notes = "I led the team huddle on discharge planning. Dr. Writer saw me present."
    req = letter_request_create(
        actor=applicant, data=request_input(brag_notes=notes, attachment_ids=[cv.pk])
    )
    with pytest.raises(PhiDetected):
        letter_request_update(
            actor=applicant,
            letter_request=req,
            data=request_input(brag_notes=PHI, attachment_ids=[cv.pk]),
        )
    req.refresh_from_db()
    assert req.brag_notes == notes
    assert "88442211" not in str(req.brag_sheet)  # the attachment goes by a neutral name
    letter_request_update(
        actor=applicant,
        letter_request=req,
        data=request_input(brag_notes=notes, attachment_ids=[cv.pk]),
        send=True,
    )
    writer = client.get(reverse("letters:write-brag-sheet", args=[last_link_token(), "txt"]))
    text = writer.content.decode()
    assert "discharge planning" in text
    assert cv.neutral_name in text and "88442211" not in text
    own = applicant_client.get(reverse("letters:request-brag-sheet", args=[req.pk, "txt"]))
    assert own.status_code == 200
    for other in (outsider_client, preceptor_client):
        url = reverse("letters:request-brag-sheet", args=[req.pk, "txt"])
        assert other.get(url).status_code in (403, 404)
    hidden = preceptor_client.get(reverse("letters:writing-brag-sheet", args=[req.pk, "txt"]))
    assert hidden.status_code == 404  # not this preceptor's request
