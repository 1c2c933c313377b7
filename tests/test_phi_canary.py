"""Canary: PHI-like strings typed where users type never reach logs, email subjects or the
audit log (docs/dev/phi-guard.md). Covers the journal (autosave, save, comments), the
evaluation form, the application motivation (API) and messages (page, htmx, API,
attachment names); statements, letters and document
file names are still to be added."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.experience.models import JournalKind
from matchway.experience.services import journal_entries as entry_svc
from matchway.experience.tests.factories import (
    EvaluationFactory,
    JournalEntryFactory,
    completed_application,
    running_application,
)
from matchway.reference.loader import load_competencies
from matchway.rotations.models import BookingMode
from matchway.rotations.tests.factories import RotationSessionFactory

pytestmark = pytest.mark.django_db

CANARIES = ("Canary Testperson", "99887766", "123-45-6789")
CANARY_TEXT = "Mrs. Canary Testperson, MRN 99887766, SSN 123-45-6789, was seen today."


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in ("matchway", "django"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _assert_no_canary(captured: pytest.LogCaptureFixture, mailoutbox: list[Any]) -> None:
    logged = "\n".join(
        f"{r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '') or ''}" for r in captured.records
    )
    subjects = "\n".join(m.subject for m in mailoutbox)
    audit = "\n".join(f"{e.data!r} {e.target_label}" for e in AuditEvent.objects.all())
    for canary in CANARIES:
        assert canary not in logged, "canary in the logs"
        assert canary not in subjects, "canary in an email subject"
        assert canary not in audit, "canary in the audit log"


def test_journal_autosave_save_and_comment(
    applicant: Any,
    preceptor: Any,
    applicant_client: Client,
    preceptor_client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
) -> None:
    load_competencies()
    application = running_application(applicant=applicant, preceptors=[preceptor])
    entry = entry_svc.journal_entry_create(
        actor=applicant, application=application, kind=JournalKind.REFLECTION
    )
    form = {
        "entry_date": str(application.session.start_date),
        "hours": "8",
        "revision": str(entry.revision),
        "client": "tab-1",
        "generation": str(entry.revision),
        "f_experience": CANARY_TEXT,
    }
    args = [application.pk, entry.pk]
    autosave = reverse("experience:journal-autosave", args=args)
    assert applicant_client.post(autosave, form, HTTP_HX_REQUEST="true").status_code == 200
    applicant_client.post(reverse("experience:journal-edit", args=args), form)
    entry.refresh_from_db()
    assert "99887766" not in f"{entry.data} {entry.draft_data}"
    shared = JournalEntryFactory(
        application=application, kind=JournalKind.REFLECTION, data={"experience": "Clean."}
    )
    entry_svc.journal_entry_share(actor=applicant, entry=shared)
    comment = reverse("experience:journal-comment", args=[application.pk, shared.pk])
    preceptor_client.post(comment, {"body": CANARY_TEXT})
    assert not shared.comments.exists()
    _assert_no_canary(captured, mailoutbox)


def test_evaluation_form(
    applicant: Any,
    preceptor: Any,
    preceptor_client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
) -> None:
    load_competencies()
    application = completed_application(applicant=applicant, preceptors=[preceptor])
    evaluation = EvaluationFactory(application=application, evaluator=preceptor)
    url = reverse("experience:evaluation-edit", args=[evaluation.pk])
    response = preceptor_client.post(
        url, {"strengths": CANARY_TEXT, "areas_to_grow": CANARY_TEXT, "action": "submit"}
    )
    assert response.status_code == 422
    _assert_no_canary(captured, mailoutbox)


def test_application_motivation_api(
    applicant_client: Client, captured: pytest.LogCaptureFixture, mailoutbox: list[Any]
) -> None:
    session = RotationSessionFactory(capacity=1, booking_mode=BookingMode.INSTANT)
    response = applicant_client.post(
        f"/api/v1/sessions/{session.pk}/applications",
        {"motivation": CANARY_TEXT},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "phi_detected"
    _assert_no_canary(captured, mailoutbox)


def test_messages_page_api_and_attachment_name(
    applicant: Any,
    applicant_client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from matchway.documents.tests.samples import make_pdf
    from matchway.rotations.tests.factories import ApplicationFactory

    application = ApplicationFactory(applicant=applicant)
    url = reverse("messaging:thread", args=[application.pk])
    assert applicant_client.post(url, {"body": CANARY_TEXT}).status_code == 200
    assert (
        applicant_client.post(url, {"body": CANARY_TEXT}, HTTP_HX_REQUEST="true").status_code == 200
    )
    response = applicant_client.post(
        f"/api/v1/applications/{application.pk}/messages",
        {"body": CANARY_TEXT},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "phi_detected"
    # A clean message whose attachment is named after a patient: stored, mailed, downloaded.
    pdf = SimpleUploadedFile("Canary Testperson MRN 99887766.pdf", make_pdf(), "application/pdf")
    assert applicant_client.post(url, {"body": "The form", "attachment": pdf}).status_code == 302
    from matchway.messaging.models import Message

    message = Message.objects.get()
    download = applicant_client.get(reverse("messaging:attachment", args=[message.pk]))
    assert "Canary" not in download["Content-Disposition"]
    _assert_no_canary(captured, mailoutbox)
