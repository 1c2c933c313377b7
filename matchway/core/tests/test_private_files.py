"""Private files: no public URL, permission-checked, audited downloads (invariant 2)."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.core.storage import PrivateFileSystemStorage
from matchway.documents.models import Document, DocumentType

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def document(applicant, reference_data):
    doc = Document(
        owner=applicant,
        type=DocumentType.objects.get(code="cv"),
        original_name="Alice CV.pdf",
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        content_type="application/pdf",
    )
    doc.file.save("ignored-name.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def test_private_storage_has_no_url():
    with pytest.raises(NotImplementedError):
        PrivateFileSystemStorage().url("documents/x")


def test_stored_name_is_random_not_the_upload_name(document):
    assert "Alice" not in document.file.name
    assert document.file.name.startswith(f"documents/{document.owner_id}/")


def test_owner_downloads_with_safe_headers_and_audit(applicant_client, document):
    response = applicant_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="document.downloaded")
    assert event.target_id == str(document.pk)
    assert event.actor_label == "alice@example.com"


def test_coordinator_may_download(coordinator_client, document):
    response = coordinator_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200


def test_outsider_gets_404_and_nothing_is_logged_as_downloaded(outsider_client, document):
    response = outsider_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_preceptor_without_a_confirmed_rotation_gets_404(preceptor_client, document):
    response = preceptor_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(anonymous, document):
    response = anonymous.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_document_is_404(applicant_client):
    assert applicant_client.get(reverse("documents:download", args=[424242])).status_code == 404
