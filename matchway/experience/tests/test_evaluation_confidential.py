"""The confidential part of an evaluation (recommendation for residency, confidential
comments) never reaches the applicant: pages, API, the privacy export ZIP, the brag sheet,
the specialty explorer, statements material, notifications and emails. Coordinators and the
evaluator see it (docs/dev/evaluations-confidentiality.md).

A canary marker goes into the confidential comments and the recommendation is "Do not
recommend"; a visible marker goes into the strengths. Every applicant response must hold the
visible marker where the page shows evaluations (so the scan is proven to see text) and never
the confidential ones.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchway.experience.models import Evaluation, Recommendation
from matchway.experience.selectors import rotation_records_for_applicant
from matchway.experience.services import evaluations as svc
from matchway.experience.services import evaluations_addenda as addenda_svc
from matchway.experience.services import evaluations_submit as submit_svc
from matchway.experience.services.eras_drafts_versions import eras_draft_generate
from matchway.experience.tests.factories import FULL_RATINGS, EvaluationFactory
from matchway.letters.models import LetterRequest
from matchway.letters.services.compose import letter_request_create
from matchway.letters.tests.factories import request_input
from matchway.rotations.models import Application

pytestmark = pytest.mark.django_db

CANARY = "ZEBRA-CONFIDENTIAL-4417"
ADDENDUM_CANARY = "OKAPI-CONFIDENTIAL-9020"
VISIBLE = "Visible strength marker QUOKKA"
SECRETS = (
    CANARY.encode(),
    ADDENDUM_CANARY.encode(),
    b"Do not recommend",
    b"do_not_recommend",
    b"confidential_comments",
    b'"recommendation"',
)


def _values(**overrides: Any) -> svc.EvaluationInput:
    data: dict[str, Any] = {
        "ratings": dict(FULL_RATINGS),
        "strengths": f"{VISIBLE}. Always prepared before rounds.",
        "areas_to_grow": "Commit to a plan.",
        "would_write_letter": True,
        "recommendation": Recommendation.DO_NOT,
        "confidential_comments": f"{CANARY}: concerns about reliability.",
    }
    data.update(overrides)
    return svc.EvaluationInput(**data)


@pytest.fixture
def submitted(
    completed: Application, preceptor: Any, committed: Any, mailoutbox: list[Any]
) -> Evaluation:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    with committed():
        submit_svc.evaluation_save(
            actor=preceptor, evaluation=evaluation, values=_values(), submit=True
        )
    evaluation.refresh_from_db()
    assert CANARY in evaluation.confidential_comments
    return evaluation


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _leaks(label: str, data: bytes) -> list[str]:
    return [f"{label}: {secret.decode()}" for secret in SECRETS if secret in data]


def _zip_text(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _applicant_responses(client: Client, application: Application) -> dict[str, bytes]:
    pk = application.pk
    specialty = application.session.rotation.specialty
    letter = letter_request_create(
        actor=application.applicant,
        data=request_input(application_id=pk, waived=False),
        send=True,
    )
    eras_draft_generate(actor=application.applicant, application=application)
    pages = {
        "dashboard": reverse("dashboard"),
        "experience-index": reverse("experience:index"),
        "overview": reverse("experience:overview", args=[pk]),
        "evaluations": reverse("experience:evaluations", args=[pk]),
        "eras-draft": reverse("experience:eras-draft", args=[pk]),
        "specialties": reverse("specialties:index"),
        "specialty": reverse("specialties:detail", args=[specialty.code]),
        "statements": reverse("statements:list"),
        "statement-new": reverse("statements:create"),
        "letters": reverse("letters:request-list"),
        "letter": reverse("letters:request-detail", args=[letter.pk]),
        "brag-txt": reverse("letters:request-brag-sheet", args=[letter.pk, "txt"]),
        "notifications": reverse("notifications:list"),
    }
    found = {label: _body(client.get(url, follow=True)) for label, url in pages.items()}
    # The PDF's text is compressed; it is rendered from the stored snapshot, scanned here.
    stored = LetterRequest.objects.get(pk=letter.pk)
    found["brag-snapshot"] = json.dumps(stored.brag_sheet).encode()
    pdf = client.get(reverse("letters:request-brag-sheet", args=[letter.pk, "pdf"]))
    assert pdf.status_code == 200
    export = client.post(reverse("accounts:export"))
    assert export.status_code == 200
    for name, content in _zip_text(_body(export)).items():
        found[f"zip:{name}"] = content
    api_export = client.get("/api/v1/me/export")
    assert api_export.status_code == 200
    for name, content in _zip_text(_body(api_export)).items():
        found[f"api-zip:{name}"] = content
    return found


def _emails_to(address: str) -> list[bytes]:
    found = []
    for message in mail.outbox:
        if address in message.to:
            html = "".join(str(alt[0]) for alt in getattr(message, "alternatives", []))
            found.append(f"{message.subject}\n{message.body}\n{html}".encode())
    return found


def test_the_confidential_part_never_reaches_the_applicant(
    submitted: Evaluation, applicant: Any, applicant_client: Client
) -> None:
    application = submitted.application
    responses = _applicant_responses(applicant_client, application)
    leaks = [leak for label, data in responses.items() for leak in _leaks(label, data)]
    for index, email in enumerate(_emails_to(applicant.email)):
        leaks.extend(_leaks(f"email {index}", email))
    assert leaks == []
    # The scan sees text: the visible part is on the evaluations page and in the export.
    assert VISIBLE.encode() in responses["evaluations"]
    assert VISIBLE.encode() in responses["zip:evaluations.json"]
    assert VISIBLE.encode() in responses["brag-snapshot"]
    assert _emails_to(applicant.email), "the applicant was told an evaluation arrived"
    # The evaluator's own page is not the applicant's: 404.
    edit = applicant_client.get(reverse("experience:evaluation-edit", args=[submitted.pk]))
    assert edit.status_code == 404


def test_an_addendums_confidential_part_is_hidden_too(
    submitted: Evaluation, preceptor: Any, applicant_client: Client, coordinator_client: Client
) -> None:
    addenda_svc.evaluation_addendum(
        actor=preceptor,
        original=submitted,
        values=_values(confidential_comments=ADDENDUM_CANARY),
        reason="Corrected the ratings",
    )
    url = reverse("experience:evaluations", args=[submitted.application_id])
    assert _leaks("evaluations", _body(applicant_client.get(url))) == []
    coordinator_page = _body(coordinator_client.get(url))
    assert ADDENDUM_CANARY.encode() in coordinator_page  # the current version's
    export = _body(applicant_client.post(reverse("accounts:export")))
    assert [leak for n, c in _zip_text(export).items() for leak in _leaks(n, c)] == []


def test_applicant_reads_never_load_the_confidential_columns(
    submitted: Evaluation, applicant: Any
) -> None:
    with CaptureQueriesContext(connection) as queries:
        records = rotation_records_for_applicant(applicant, viewer=applicant)
        evaluations = [e.current for r in records for e in r.evaluations]
        values = [(e.confidential_comments, e.recommendation) for e in evaluations]
    assert evaluations and values == [("", "")] * len(evaluations)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "confidential_comments" not in sql and "recommendation" not in sql
    with pytest.raises(ValueError, match="redacted"):
        evaluations[0].save()  # a redacted copy can never overwrite the real row


def test_coordinator_and_evaluator_see_the_confidential_part(
    submitted: Evaluation, coordinator_client: Client, preceptor_client: Client
) -> None:
    listing = reverse("experience:evaluations", args=[submitted.application_id])
    coordinator = coordinator_client.get(listing).content.decode()
    assert CANARY in coordinator and "Do not recommend" in coordinator
    assert "For the program only" in coordinator
    evaluator = preceptor_client.get(reverse("experience:evaluation-edit", args=[submitted.pk]))
    assert CANARY in evaluator.content.decode()
    assert "Do not recommend" in evaluator.content.decode()


def test_the_form_marks_the_confidential_part(
    completed: Application, preceptor: Any, preceptor_client: Client
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    page = preceptor_client.get(reverse("experience:evaluation-edit", args=[evaluation.pk]))
    text = page.content.decode()
    assert "the applicant never does" in text
    for label in ("Strongly recommend", "Recommend with reservations", "Do not recommend"):
        assert label in text


def test_confidential_comments_pass_the_phi_guard(
    completed: Application, preceptor: Any, preceptor_client: Client
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    url = reverse("experience:evaluation-edit", args=[evaluation.pk])
    form = {f"rating_{code}": str(value) for code, value in FULL_RATINGS.items()}
    form.update(
        strengths="Prepared.",
        recommendation="recommend",
        would_write_letter="yes",
        confidential_comments="Mr. John Smith, MRN 12345678, was the patient.",
        action="submit",
    )
    response = preceptor_client.post(url, form)
    assert response.status_code == 422
    assert "Possible patient identifiers" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.confidential_comments == "" and evaluation.submitted_at is None


# --- Validation before "submit now?" ---------------------------------------------------


def _full_form(**overrides: str) -> dict[str, str]:
    form = {f"rating_{code}": str(value) for code, value in FULL_RATINGS.items()}
    form.update(
        strengths="Prepared.",
        areas_to_grow="Pace.",
        recommendation="strongly_recommend",
        would_write_letter="yes",
        confidential_comments="Ready for residency.",
    )
    form.update(overrides)
    return form


def test_submit_validates_every_field_before_asking(
    completed: Application, preceptor: Any, preceptor_client: Client
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    url = reverse("experience:evaluation-edit", args=[evaluation.pk])
    page = preceptor_client.get(url).content.decode()
    assert "data-confirm" not in page  # no question before the answers are checked
    incomplete = preceptor_client.post(url, _full_form(recommendation="", action="submit"))
    assert incomplete.status_code == 422
    text = incomplete.content.decode()
    assert "Choose a recommendation." in text and "Yes, submit now" not in text
    asked = preceptor_client.post(url, _full_form(action="submit"))
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "Everything is filled in. Submit now?" in text and "Yes, submit now" in text
    assert "Ready for residency." in text  # the answers stay in the form
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None
    assert evaluation.recommendation == Recommendation.STRONGLY  # kept as a draft meanwhile
    done = preceptor_client.post(url, _full_form(action="confirm"))
    assert done.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is not None
    assert evaluation.confidential_comments == "Ready for residency."


def test_confirm_checks_again(
    completed: Application, preceptor: Any, preceptor_client: Client
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    url = reverse("experience:evaluation-edit", args=[evaluation.pk])
    response = preceptor_client.post(url, _full_form(strengths="", action="confirm"))
    assert response.status_code == 422
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None
