"""How a checked download leaves: Django streams it, nginx sends it (X-Accel-Redirect), or the
bucket answers a short-lived presigned URL. The permission check and the audit come first
every time (docs/dev/private-files.md). The real nginx is in tests/test_nginx_accel.py."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.test import Client
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.core.storage import accel_redirect_path
from matchway.documents.models import Document

from . import samples
from .factories import upload_document

pytestmark = pytest.mark.django_db

BUCKET = "matchway-private-test"
ENDPOINT = "https://objects.example.test"


@pytest.fixture
def document(applicant: Any, reference_data: None) -> Document:
    return upload_document(applicant, "cv", content=samples.make_pdf(pages=1), name="my cv.pdf")


def _downloads(document: Document) -> int:
    return AuditEvent.objects.filter(
        action="document.downloaded", target_id=str(document.pk)
    ).count()


# --- X-Accel-Redirect ---------------------------------------------------------------------


def test_with_the_prefix_nginx_gets_the_internal_path_and_no_bytes(
    settings: Any, applicant_client: Client, document: Document
) -> None:
    settings.PRIVATE_FILES_ACCEL_REDIRECT_PREFIX = "/_private/"
    response = applicant_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{document.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="my cv.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert _downloads(document) == 1


def test_without_the_prefix_django_streams_as_before(
    applicant_client: Client, document: Document
) -> None:
    response = applicant_client.get(reverse("documents:download", args=[document.pk]))
    assert "X-Accel-Redirect" not in response
    with document.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_the_check_still_comes_first_behind_nginx(
    settings: Any, outsider_client: Client, anonymous: Client, document: Document
) -> None:
    settings.PRIVATE_FILES_ACCEL_REDIRECT_PREFIX = "/_private/"
    url = reverse("documents:download", args=[document.pk])
    hidden = outsider_client.get(url)
    assert hidden.status_code == 404
    assert "X-Accel-Redirect" not in hidden
    assert "X-Accel-Redirect" not in anonymous.get(url)
    assert _downloads(document) == 0


def test_preview_keeps_its_inline_disposition_and_policy(
    settings: Any, coordinator_client: Client, document: Document
) -> None:
    settings.PRIVATE_FILES_ACCEL_REDIRECT_PREFIX = "/_private/"
    response = coordinator_client.get(
        reverse("documents:download", args=[document.pk]) + "?inline=1"
    )
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/_private/documents/")
    assert response["Content-Disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("documents/7/ab12", "/_private/documents/7/ab12"),
        ("letters/a b#?.pdf", "/_private/letters/a%20b%23%3F.pdf"),
    ],
)
def test_accel_paths_are_quoted(name: str, expected: str) -> None:
    assert accel_redirect_path("/_private/", name) == expected
    assert accel_redirect_path("/_private", name) == expected


@pytest.mark.parametrize(
    "name", ["../etc/passwd", "/etc/passwd", "documents//x", "a/./b", "a\\..\\b"]
)
def test_accel_paths_never_leave_the_internal_location(name: str) -> None:
    with pytest.raises(SuspiciousFileOperation):
        accel_redirect_path("/_private/", name)


# --- S3-compatible storage: presigned URLs --------------------------------------------------


@pytest.fixture
def s3_storage(monkeypatch: pytest.MonkeyPatch, document: Document) -> Any:
    """Documents on an S3 storage from now on (fake credentials; presigning is offline:
    nothing is sent). The document itself was stored on the file system before."""
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    storage = S3Storage(
        bucket_name=BUCKET,
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        default_acl=None,
        querystring_auth=True,
        signature_version="s3v4",
        addressing_style="path",
    )
    field = Document._meta.get_field("file")
    monkeypatch.setattr(field, "storage", storage)
    return storage


def test_on_object_storage_the_reader_is_sent_to_a_short_lived_signed_url(
    settings: Any,
    s3_storage: Any,
    applicant_client: Client,
    document: Document,
    time_machine: Any,
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC), tick=False)
    settings.PRIVATE_FILES_URL_SECONDS = 60
    response = applicant_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    url = response["Location"]
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}" == ENDPOINT
    assert parts.path == f"/{BUCKET}/{document.file.name}"
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "60"
    assert query["X-Amz-Date"] == "20261203T120000Z"
    assert query["response-content-disposition"] == 'attachment; filename="my cv.pdf"'
    assert query["response-content-type"] == "application/pdf"
    assert _downloads(document) == 1

    # botocore's own signer, independently, with the same key, time and parameters.
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    expected = client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": BUCKET,
            "Key": document.file.name,
            "ResponseContentDisposition": 'attachment; filename="my cv.pdf"',
            "ResponseContentType": "application/pdf",
            "ResponseCacheControl": "private, no-store",
        },
        ExpiresIn=60,
    )
    assert query["X-Amz-Signature"] == parse_qs(urlsplit(expected).query)["X-Amz-Signature"][0]


def test_on_object_storage_hidden_documents_get_no_url(
    s3_storage: Any, outsider_client: Client, document: Document
) -> None:
    response = outsider_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404
    assert "Location" not in response
    assert _downloads(document) == 0


def test_s3_setting_configures_a_private_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("PRIVATE_FILES_STORAGE", "s3")
    monkeypatch.setenv("PRIVATE_FILES_S3_BUCKET", "private-bucket")
    try:
        reloaded = importlib.reload(base)
        private = reloaded.STORAGES["private"]
        assert private["BACKEND"] == "storages.backends.s3.S3Storage"
        assert private["OPTIONS"]["bucket_name"] == "private-bucket"
        assert private["OPTIONS"]["default_acl"] is None
        assert private["OPTIONS"]["querystring_auth"] is True
        assert private["OPTIONS"]["file_overwrite"] is False
    finally:
        monkeypatch.delenv("PRIVATE_FILES_STORAGE")
        importlib.reload(base)
