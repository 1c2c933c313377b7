from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from matchway.accounts.services import api_token_create
from matchway.documents.models import Document

from . import samples
from .factories import upload_document

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/documents"


def _file(content: bytes | None = None, name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or samples.make_pdf(pages=2))


def test_create_returns_201_with_the_facts(applicant_client: Client, reference_data: None) -> None:
    content = samples.make_pdf(pages=2)
    response = applicant_client.post(URL, {"type": "cv", "file": _file(content, "../CV.pdf")})
    assert response.status_code == 201, response.content
    body = response.json()
    document = Document.objects.get()
    assert body["id"] == document.pk
    assert body["type"] == "cv"
    assert body["status"] == "uploaded"
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["content_type"] == "application/pdf"
    assert body["original_name"] == "CV.pdf"
    assert body["pages"] == 2
    assert body["is_current"] is True
    assert body["issued_on"] is None
    assert body["download_url"] == f"http://testserver/documents/{document.pk}/download/"
    assert body["created_at"]


def test_create_with_dates(applicant_client: Client, reference_data: None) -> None:
    expires = timezone.localdate() + timedelta(days=500)
    response = applicant_client.post(
        URL, {"type": "passport", "file": _file(), "expires_on": expires.isoformat()}
    )
    assert response.status_code == 201, response.content
    assert response.json()["expires_on"] == expires.isoformat()


def test_bad_file_is_422_upload_rejected_and_nothing_is_stored(
    applicant_client: Client, reference_data: None, stored_files: Callable[[], set[str]]
) -> None:
    before = stored_files()
    response = applicant_client.post(URL, {"type": "cv", "file": _file(samples.HTML_PAGE)})
    assert response.status_code == 422
    assert response.json() == {
        "code": "upload_rejected",
        "message": "This file is not a PDF: it looks like an HTML page.",
    }
    assert not Document.objects.exists()
    assert stored_files() == before


def test_unknown_type_is_422_validation_error(
    applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.post(URL, {"type": "spaceship_licence", "file": _file()})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"] == [{"field": "type", "message": "Choose a document type from the list."}]


def test_missing_expiry_is_422_with_the_field(
    applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.post(URL, {"type": "passport", "file": _file()})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expires_on"


def test_missing_file_is_422(applicant_client: Client, reference_data: None) -> None:
    response = applicant_client.post(URL, {"type": "cv"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("who", ["coordinator_client", "preceptor_client"])
def test_only_applicants_create(
    who: str, request: pytest.FixtureRequest, reference_data: None
) -> None:
    client: Client = request.getfixturevalue(who)
    response = client.post(URL, {"type": "cv", "file": _file()})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Document.objects.exists()


def test_anonymous_gets_401(anonymous: Client, reference_data: None) -> None:
    response = anonymous.post(URL, {"type": "cv", "file": _file()})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert anonymous.get(URL).status_code == 401


def test_bearer_token_upload(applicant: Any, reference_data: None) -> None:
    token, _ = api_token_create(user=applicant, name="scanner")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        URL, {"type": "cv", "file": _file()}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201, response.content
    assert Document.objects.get().owner == applicant


def test_list_mine_is_paginated_and_private(
    applicant: Any, outsider: Any, applicant_client: Client, reference_data: None
) -> None:
    for _ in range(3):
        upload_document(applicant, "cv")
    upload_document(outsider, "cv")
    response = applicant_client.get(URL + "?limit=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert all(item["type"] == "cv" for item in body["items"])
    assert [item["is_current"] for item in body["items"]] == [True, False]
    second = applicant_client.get(URL + "?limit=2&offset=2").json()
    assert len(second["items"]) == 1


def test_list_mine_for_a_coordinator_is_empty(
    applicant: Any, coordinator_client: Client, reference_data: None
) -> None:
    upload_document(applicant, "cv")
    assert coordinator_client.get(URL).json() == {"items": [], "count": 0}
