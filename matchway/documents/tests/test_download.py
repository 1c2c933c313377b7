"""The one download path: owner and coordinators only, 404 for everyone else, always audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.documents.models import Document

from . import samples
from .factories import upload_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(applicant: Any, reference_data: None) -> Document:
    return upload_document(applicant, "cv", content=samples.make_pdf(pages=2), name="../my cv.pdf")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["applicant_client", "coordinator_client"])
def test_owner_and_coordinator_download_the_file(
    who: str, request: pytest.FixtureRequest, document: Document
) -> None:
    client: Client = request.getfixturevalue(who)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    with document.file.open("rb") as handle:
        assert _body(response) == handle.read()


def test_download_headers_make_it_an_inert_private_attachment(
    applicant_client: Client, document: Document
) -> None:
    response = applicant_client.get(reverse("documents:download", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="my cv.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    _body(response)


@pytest.mark.parametrize("who", ["applicant_client", "coordinator_client"])
def test_every_download_is_audited(
    who: str, request: pytest.FixtureRequest, document: Document
) -> None:
    client: Client = request.getfixturevalue(who)
    url = reverse("documents:download", args=[document.pk])
    for _ in range(2):
        _body(client.get(url, REMOTE_ADDR="198.51.100.7"))
    events = AuditEvent.objects.filter(action="document.downloaded", target_id=str(document.pk))
    assert events.count() == 2
    event = events.first()
    assert event is not None
    assert event.actor is not None
    assert event.ip == "198.51.100.7"
    # The target identifies the file; its uploaded name never enters the audit log.
    assert event.data == {"inline": False}
    assert "my cv" not in event.target_label


@pytest.mark.parametrize("who", ["outsider_client", "preceptor_client"])
def test_others_get_404_and_nothing_is_audited(
    who: str, request: pytest.FixtureRequest, document: Document
) -> None:
    client: Client = request.getfixturevalue(who)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_anonymous_is_sent_to_login(anonymous: Client, document: Document) -> None:
    response = anonymous.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_missing_document_is_404(applicant_client: Client, reference_data: None) -> None:
    assert applicant_client.get(reverse("documents:download", args=[424242])).status_code == 404


def test_owner_can_still_download_an_old_version(
    applicant: Any, applicant_client: Client, document: Document
) -> None:
    upload_document(applicant, "cv")
    response = applicant_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    _body(response)


def test_files_have_no_public_url(document: Document) -> None:
    with pytest.raises(NotImplementedError):
        _ = document.file.url


def test_a_booked_preceptor_downloads_through_rotations_not_here(
    applicant: Any, preceptor: Any, preceptor_client: Client, reference_data: None
) -> None:
    """Documents knows no bookings: a preceptor's access is decided (and served) by
    rotations (`rotations:teaching-document`)."""
    cv = upload_document(applicant, "cv")
    assert preceptor_client.get(reverse("documents:download", args=[cv.pk])).status_code == 404
