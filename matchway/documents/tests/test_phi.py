"""Free text in documents that leaves its author (docs/dev/phi-guard.md): a coordinator's
rejection reason goes through the PHI guard, and an uploaded file's name stays its owner's
(others and the audit log get a neutral name)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from matchway.core.exceptions import PhiDetected
from matchway.core.models import AuditEvent
from matchway.documents.models import DocumentStatus
from matchway.documents.services import document_reject

from .factories import upload_document

pytestmark = pytest.mark.django_db

PHI = "This is Mrs. Canary Jane Doe's discharge summary (MRN 88442211), not your CV."
CANARY_FILE = "Mrs Canary Jane Doe MRN 88442211.pdf"


def test_reject_reason_with_phi_is_refused_and_nothing_changes(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    with pytest.raises(PhiDetected) as exc:
        document_reject(actor=coordinator, document=document, reason=PHI)
    assert set(exc.value.errors) == {"reason"}
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED
    assert not AuditEvent.objects.filter(action="document.rejected").exists()
    assert mail.outbox == []


def test_reject_reason_naming_the_applicant_passes(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    reason = "Alice Adeyemi, page 2 is missing. Dr. Brown asked for the full CV."
    assert document_reject(actor=coordinator, document=document, reason=reason).reason == reason


def test_review_page_keeps_the_reason_and_shows_findings(
    applicant: Any, coordinator_client: Client, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    response = coordinator_client.post(
        reverse("documents:reject", args=[document.pk]),
        {f"reject-{document.pk}-reason": PHI},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Possible patient identifiers" in body
    assert "88442211" in body
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED


def test_uploaded_name_is_the_owners_only(
    applicant: Any,
    applicant_client: Client,
    coordinator_client: Client,
    reference_data: None,
) -> None:
    document = upload_document(applicant, "cv", name=CANARY_FILE)
    url = reverse("documents:download", args=[document.pk])
    own = applicant_client.get(url)
    assert "88442211" in own["Content-Disposition"]
    theirs = coordinator_client.get(url)
    assert theirs.status_code == 200
    assert "88442211" not in theirs["Content-Disposition"]
    assert f"curriculum-vitae-{document.pk}.pdf" in theirs["Content-Disposition"]
    queue = coordinator_client.get(reverse("documents:review")).content.decode()
    assert "88442211" not in queue
    assert document.neutral_name in queue
    audit = [f"{e.target_label} {e.data!r}" for e in AuditEvent.objects.all()]
    assert audit and not any("88442211" in line for line in audit)
