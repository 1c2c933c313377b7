"""Canary: PHI-like strings typed or uploaded wherever users can never reach the logs (every
logger at DEBUG), task arguments, email subjects (sent and in the outbox table) or any field
of the audit log (docs/dev/phi-guard.md).

Entry points: the journal (autosave, save, comments), the evaluation form, the application
motivation and withdrawal (API) and the coordinator's decision message, the
statement reviewer invitation and comments, the letter composer (page and API, message and
brag notes), the writer's decline note, and file names: the document vault (page and API),
a coordinator's view, download and rejection of such a file, a vault file attached to a
letter request, and the writer's uploaded letter; messages (page, htmx, API, attachment names)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks.signals import task_enqueued

from matchway.core import clock
from matchway.core.models import AuditEvent, OutboundEmail
from matchway.documents.models import Document
from matchway.documents.tests.samples import make_pdf
from matchway.experience.models import JournalKind
from matchway.experience.services import journal_entries as entry_svc
from matchway.experience.tests.factories import (
    EvaluationFactory,
    JournalEntryFactory,
    completed_application,
    running_application,
)
from matchway.letters.models import LetterRequest, LetterStatus
from matchway.letters.tests.factories import last_link_token
from matchway.reference.loader import load_competencies
from matchway.rotations.models import BookingMode
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.tests.factories import RotationSessionFactory
from matchway.statements import services as statement_services

pytestmark = pytest.mark.django_db

CANARIES = ("Canary Testperson", "99887766", "123-45-6789", "03/04/1950")
CANARY_TEXT = (
    "Mrs. Canary Testperson, MRN 99887766, SSN 123-45-6789, DOB 03/04/1950, was seen today."
)
CANARY_FILE = "Mrs Canary Testperson MRN 99887766 DOB 03-04-1950.pdf"
CANARY_IN_FILE = ("Canary Testperson", "99887766")


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG: the root and each one configured so far (others inherit)."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def task_args() -> Iterator[list[str]]:
    """The arguments of every task enqueued during the test (tasks take ids only)."""
    seen: list[str] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        seen.append(f"{task_result.task.module_path} {task_result.args!r} {task_result.kwargs!r}")

    task_enqueued.connect(record, weak=False)
    yield seen
    task_enqueued.disconnect(record)


def _assert_no_canary(
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str] | None = None,
    canaries: tuple[str, ...] = CANARIES,
) -> None:
    logged = "\n".join(
        f"{r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '') or ''}" for r in captured.records
    )
    subjects = "\n".join(
        [m.subject for m in mailoutbox]
        + list(OutboundEmail.objects.values_list("subject", flat=True))
    )
    audit = "\n".join(repr(row) for row in AuditEvent.objects.values())
    tasks = "\n".join(task_args or [])
    for canary in canaries:
        assert canary not in logged, "canary in the logs"
        assert canary not in subjects, "canary in an email subject"
        assert canary not in audit, "canary in the audit log"
        assert canary not in tasks, "canary in task arguments"


def test_journal_autosave_save_and_comment(
    applicant: Any,
    preceptor: Any,
    applicant_client: Client,
    preceptor_client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str],
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
    _assert_no_canary(captured, mailoutbox, task_args)


def test_evaluation_form(
    applicant: Any,
    preceptor: Any,
    preceptor_client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str],
) -> None:
    load_competencies()
    application = completed_application(applicant=applicant, preceptors=[preceptor])
    evaluation = EvaluationFactory(application=application, evaluator=preceptor)
    url = reverse("experience:evaluation-edit", args=[evaluation.pk])
    response = preceptor_client.post(
        url, {"strengths": CANARY_TEXT, "areas_to_grow": CANARY_TEXT, "action": "submit"}
    )
    assert response.status_code == 422
    response = preceptor_client.post(
        url, {"strengths": "Prepared.", "confidential_comments": CANARY_TEXT, "action": "save"}
    )
    assert response.status_code == 422  # the confidential comments are guarded too
    _assert_no_canary(captured, mailoutbox, task_args)


def test_application_texts_page_and_api(
    applicant: Any,
    applicant_client: Client,
    coordinator_client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str],
) -> None:
    session = RotationSessionFactory(capacity=1, booking_mode=BookingMode.INSTANT)
    response = applicant_client.post(
        f"/api/v1/sessions/{session.pk}/applications",
        {"motivation": CANARY_TEXT},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "phi_detected"
    review = RotationSessionFactory(capacity=1, booking_mode=BookingMode.REVIEW)
    application = application_submit(actor=applicant, session=review)
    decide = reverse("rotations:review-decide", args=[application.pk])
    response = coordinator_client.post(decide, {"action": "decline", "message": CANARY_TEXT})
    assert response.status_code == 422
    response = applicant_client.post(
        f"/api/v1/applications/{application.pk}/withdraw",
        {"reason": CANARY_TEXT},
        content_type="application/json",
    )
    assert response.status_code == 422
    _assert_no_canary(captured, mailoutbox, task_args)


def test_statement_invitation_and_reviewer_comment(
    applicant: Any,
    applicant_client: Client,
    client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str],
) -> None:
    statement = statement_services.statement_create(
        actor=applicant, title="IM", body="I presented new admissions on rounds."
    )
    invite = reverse("statements:invite", args=[statement.pk, 1])
    form = {"name": "Dr. Rivera", "email": "rev@example.com", "days": "14"}
    assert applicant_client.post(invite, {**form, "message": CANARY_TEXT}).status_code == 422
    assert applicant_client.post(invite, {**form, "message": "Thank you!"}).status_code == 302
    link = re.search(r"/statements/review/(\S+)/", mailoutbox[-1].body)
    assert link is not None
    page = reverse("statements:review", args=[link.group(1)])
    assert client.post(page, {"body": CANARY_TEXT}).status_code == 422
    _assert_no_canary(captured, mailoutbox, task_args)


def _compose(**overrides: Any) -> dict[str, Any]:
    data = {
        "writer_name": "Dr. Olu Bello",
        "writer_email": "olu.bello@example.org",
        "kind": "narrative",
        "specialty_code": "general",
        "due_date": str(clock.provider_today() + dt.timedelta(days=40)),
        "waived": "yes",
        "message": "Dear Dr. Bello, thank you.",
        "brag_notes": "",
    }
    data.update(overrides)
    return data


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf("A letter"), content_type="application/pdf")


def test_letter_request_texts_page_and_api(
    applicant_client: Client,
    client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str],
) -> None:
    compose = reverse("letters:request-create") + "?outside=1"
    for field in ("message", "brag_notes"):
        response = applicant_client.post(compose, _compose(**{field: CANARY_TEXT}, send="1"))
        assert response.status_code == 422
        response = applicant_client.post(
            "/api/v1/me/letter-requests",
            {
                "writer_name": "Dr. Ada Obi",
                "writer_email": "ada.obi@example.org",
                "due_date": _compose()["due_date"],
                "waived": True,
                field: CANARY_TEXT,
            },
            content_type="application/json",
        )
        assert response.status_code == 422
    assert not LetterRequest.objects.exists()
    assert applicant_client.post(compose, _compose(send="1")).status_code == 302
    write = reverse("letters:write", args=[last_link_token()])
    assert client.post(write, {"action": "decline", "note": CANARY_TEXT}).status_code == 422
    assert LetterRequest.objects.get().status == LetterStatus.REQUESTED
    assert task_args, "the capture sees the email delivery tasks"
    _assert_no_canary(captured, mailoutbox, task_args)


def test_file_names(
    applicant: Any,
    applicant_client: Client,
    coordinator_client: Client,
    client: Client,
    reference_data: None,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str],
) -> None:
    vault = applicant_client.post(
        reverse("documents:upload"), {"type": "cv", "cv-file": _pdf(CANARY_FILE)}
    )
    assert vault.status_code == 302
    cv = Document.objects.get(type_id="cv")
    assert "99887766" in cv.original_name  # the owner's own name for the file is kept
    download = reverse("documents:download", args=[cv.pk])
    assert "99887766" in applicant_client.get(download)["Content-Disposition"]
    assert "99887766" not in coordinator_client.get(download)["Content-Disposition"]
    queue = coordinator_client.get(reverse("documents:review")).content.decode()
    assert "99887766" not in queue
    reject = reverse("documents:reject", args=[cv.pk])
    assert (
        coordinator_client.post(reject, {f"reject-{cv.pk}-reason": CANARY_TEXT}).status_code == 422
    )
    clean = coordinator_client.post(reject, {f"reject-{cv.pk}-reason": "Page 2 is missing."})
    assert clean.status_code == 302
    api = applicant_client.post("/api/v1/me/documents", {"type": "cv", "file": _pdf(CANARY_FILE)})
    assert api.status_code == 201, api.content
    compose = reverse("letters:request-create") + "?outside=1"
    response = applicant_client.post(
        compose, _compose(waived="no", attachments=[api.json()["id"]], send="1")
    )
    assert response.status_code == 302
    request = LetterRequest.objects.get()
    token = last_link_token()
    write = reverse("letters:write", args=[token])
    page = client.get(write).content.decode()
    assert "99887766" not in page  # the applicant's file name is not the writer's to see
    client.post(write, {"action": "accept"})
    upload = client.post(write, {"action": "upload", "file": _pdf(CANARY_FILE)})
    assert upload.status_code == 302
    letter = applicant_client.get(f"/api/v1/me/letter-requests/{request.pk}").json()["letter"]
    assert letter["original_name"] == f"letter-{request.pk}.pdf"
    applicant_client.get(reverse("letters:request-letter", args=[request.pk]))
    assert task_args and AuditEvent.objects.filter(action="document.downloaded").exists()
    _assert_no_canary(captured, mailoutbox, task_args, canaries=CANARY_IN_FILE)


def test_messages_page_api_and_attachment_name(
    applicant: Any,
    applicant_client: Client,
    captured: pytest.LogCaptureFixture,
    mailoutbox: list[Any],
    task_args: list[str],
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
    _assert_no_canary(captured, mailoutbox, task_args)
