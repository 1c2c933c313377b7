"""Issue #17: the coordinator's inline preview (sandboxed, framed by this site only, audited;
404 for everyone else) and bulk verify (one compare-and-set and audit event per document)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.documents.models import Document, DocumentStatus

from . import samples
from .factories import upload_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def cv(applicant: Any, reference_data: None) -> Document:
    return upload_document(applicant, "cv", content=samples.make_pdf(), name="my cv.pdf")


def _preview(document: Document) -> str:
    return reverse("documents:download", args=[document.pk]) + "?inline=1"


def test_coordinator_preview_is_inline_sandboxed_and_audited(
    coordinator_client: Client, cv: Document
) -> None:
    response = coordinator_client.get(_preview(cv))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "application/pdf"
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox;")
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "script-src" not in csp
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="document.downloaded")
    assert event.data == {"inline": True}


def test_image_preview(coordinator_client: Client, applicant: Any, reference_data: None) -> None:
    photo = upload_document(
        applicant,
        "medical_diploma",
        content=samples.make_png(),
        name="diploma.png",
    )
    response = coordinator_client.get(_preview(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_plain_download_stays_an_attachment_framed_by_no_one(
    coordinator_client: Client, cv: Document
) -> None:
    response = coordinator_client.get(reverse("documents:download", args=[cv.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("who", ["applicant_client", "preceptor_client", "outsider_client"])
def test_preview_is_404_for_everyone_but_coordinators(
    who: str, request: pytest.FixtureRequest, cv: Document
) -> None:
    client: Client = request.getfixturevalue(who)
    assert client.get(_preview(cv)).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_preview_anonymous_goes_to_sign_in(anonymous: Client, cv: Document) -> None:
    assert anonymous.get(_preview(cv)).status_code == 302


def test_preview_of_unknown_document_is_404(coordinator_client: Client, cv: Document) -> None:
    url = reverse("documents:download", args=[cv.pk + 1000]) + "?inline=1"
    assert coordinator_client.get(url).status_code == 404


def test_bulk_verify_verifies_each_and_audits_each(
    coordinator_client: Client, applicant: Any, reference_data: None
) -> None:
    docs = [
        upload_document(applicant, code) for code in ("cv", "medical_diploma", "immunization_mmr")
    ]
    verified_before = upload_document(applicant, "usmle_step1")
    verified_before.status = DocumentStatus.VERIFIED
    verified_before.save()
    response = coordinator_client.post(
        reverse("documents:verify-bulk"),
        {"ids": [docs[0].pk, docs[1].pk, verified_before.pk, "x"], "next": "/documents/review/"},
        follow=True,
    )
    html = response.content.decode()
    assert "2 document(s) verified." in html
    statuses = {d.pk: d.status for d in Document.objects.all()}
    assert statuses[docs[0].pk] == statuses[docs[1].pk] == DocumentStatus.VERIFIED
    assert statuses[docs[2].pk] == DocumentStatus.UPLOADED
    events = AuditEvent.objects.filter(action="document.verified")
    assert sorted(int(e.target_id) for e in events) == sorted([docs[0].pk, docs[1].pk])
    assert "already verified" in html.lower()


def test_bulk_verify_without_selection(coordinator_client: Client, cv: Document) -> None:
    response = coordinator_client.post(reverse("documents:verify-bulk"), {}, follow=True)
    assert "Select at least one document to verify." in response.content.decode()
    cv.refresh_from_db()
    assert cv.status == DocumentStatus.UPLOADED


def test_bulk_verify_refused_for_other_roles(applicant_client: Client, cv: Document) -> None:
    response = applicant_client.post(reverse("documents:verify-bulk"), {"ids": [cv.pk]})
    assert response.status_code == 403
    cv.refresh_from_db()
    assert cv.status == DocumentStatus.UPLOADED


def test_review_queue_offers_preview_and_bulk_verify(
    coordinator_client: Client, cv: Document
) -> None:
    html = coordinator_client.get(reverse("documents:review")).content.decode()
    assert f'data-preview-src="/documents/{cv.pk}/download/?inline=1"' in html
    assert 'id="bulk-verify"' in html
    assert 'form="bulk-verify"' in html
