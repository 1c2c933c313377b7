"""The personal-data export: `GET /api/v1/me/export` and the profile page's button."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchway.core.models import AuditEvent
from matchway.documents.tests.factories import upload_document
from matchway.documents.tests.samples import make_pdf
from matchway.letters.models import Letter
from matchway.statements.tests.factories import StatementFactory, StatementVersionFactory

from .privacy_data import (
    COMMENT_MARKER,
    JOURNAL_MARKER,
    MOTIVATION_MARKER,
    REMINDER_CENTS,
    SOAP_MARKER,
    STATEMENT_MARKER,
    AreaData,
    fill_every_area,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("after_commit_now", "signing_key")]

AREAS = {
    "account",
    "applications",
    "documents",
    "journal",
    "attendance",
    "evaluations",
    "certificates",
    "eras_drafts",
    "letter_requests",
    "statements",
    "eras",
    "messages",
    "notifications",
    "audit_events",
    "soap",
}
OUTSIDER_DOC_TEXT = "Charlie private passport scan"
OUTSIDER_STATEMENT = "Outsider-statement-Z8 never yours"


@pytest.fixture
def areas(reference_data: None, applicant: Any, preceptor: Any, coordinator: Any) -> AreaData:
    return fill_every_area(applicant, preceptor, coordinator)


@pytest.fixture
def outsider_data(reference_data: None, outsider: Any) -> bytes:
    content = make_pdf(OUTSIDER_DOC_TEXT)
    upload_document(outsider, "cv", content=content, name="Charlie_CV.pdf")
    StatementVersionFactory(statement=StatementFactory(applicant=outsider), body=OUTSIDER_STATEMENT)
    return content


def _zip(response: Any) -> tuple[zipfile.ZipFile, bytes]:
    raw = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(raw)), raw


def _everything(archive: zipfile.ZipFile) -> bytes:
    """Every name and every (uncompressed) member, so a scan sees what a person would."""
    parts = [name.encode() for name in archive.namelist()]
    parts += [archive.read(name) for name in archive.namelist()]
    return b"\n".join(parts)


def _read(file: Any) -> bytes:
    with file.open("rb") as handle:
        return bytes(handle.read())


def _letter_secrets(letter: Letter, *, shared_with: bytes = b"") -> dict[str, re.Pattern[bytes]]:
    """What identifies the letter (as in letters/tests/test_confidentiality.py). Byte samples
    come from inside its page streams; one that also occurs in `shared_with` (the other PDFs
    the export may rightly hold, made by the same generator) identifies nothing and is left
    out."""
    content = _read(letter.file)
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", content)]
    samples = {
        f"bytes@{o}": content[o + 4 : o + 28]
        for o in starts
        if content[o + 4 : o + 28] not in shared_with
    }
    assert samples, "the letter has bytes of its own"
    stem = letter.original_name.rsplit(".", 1)[0]
    return {
        **{name: re.compile(re.escape(sample)) for name, sample in samples.items()},
        "name": re.compile(re.escape(letter.original_name.encode())),
        "name_stem": re.compile(re.escape(stem.encode())),
        "size": re.compile(rf"(?<![\w.]){letter.size}(?![\w.])".encode()),
        "sha256": re.compile(letter.sha256.encode()),
        "sha256_prefix": re.compile(letter.sha256[:12].encode()),
    }


def test_api_export_is_a_zip_with_every_area_own_files_and_nobody_elses(
    applicant_client: Client,
    applicant: Any,
    areas: AreaData,
    outsider: Any,
    outsider_data: bytes,
) -> None:
    response = applicant_client.get("/api/v1/me/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive, _ = _zip(response)
    assert archive.testzip() is None

    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["areas"]) == AREAS
    assert manifest["user_id"] == applicant.pk
    for area, member in manifest["areas"].items():
        data = json.loads(archive.read(member))
        assert data, f"{area} is empty"

    account = json.loads(archive.read("account.json"))
    assert account["user"]["email"] == applicant.email
    assert "password" not in account["user"]

    with areas.document.file.open("rb") as handle:
        own_bytes = handle.read()
    document_files = [n for n in archive.namelist() if n.startswith("files/documents/")]
    assert [archive.read(n) for n in document_files] == [own_bytes]
    assert f"files/certificates/{areas.certificate.number}.pdf" in archive.namelist()

    text = _everything(archive).decode("utf-8", "replace")  # the markers are ASCII
    for marker in (
        JOURNAL_MARKER,
        STATEMENT_MARKER,
        COMMENT_MARKER,
        MOTIVATION_MARKER,
        SOAP_MARKER,
    ):
        assert marker in text
    evaluations = json.loads(archive.read("evaluations.json"))
    assert evaluations[0]["strengths"] == "Prepared and reliable."
    payments = json.loads(archive.read("applications.json"))[0]["payments"]
    assert payments[0]["reference"] == "PAY-123"
    reminders = json.loads(archive.read("applications.json"))[0]["payment_reminders"]
    assert [(r["kind"], r["amount_cents"]) for r in reminders] == [("balance", REMINDER_CENTS)]
    assert AuditEvent.objects.filter(actor=applicant, action="privacy.export").count() == 1

    # An outsider's data never appears.
    everything = _everything(archive)
    assert outsider.email.encode() not in everything
    assert OUTSIDER_STATEMENT.encode() not in everything
    assert b"Charlie_CV" not in everything
    assert outsider_data not in everything


def test_export_never_carries_a_waived_letter_but_an_open_one(
    applicant_client: Client, areas: AreaData
) -> None:
    archive, raw = _zip(applicant_client.get("/api/v1/me/export"))
    everything = _everything(archive) + raw
    own_files = b"".join(
        _read(f) for f in (areas.open_letter.file, areas.document.file, areas.certificate.pdf)
    )
    secrets = _letter_secrets(areas.waived_letter, shared_with=own_files)
    assert [name for name, p in secrets.items() if p.search(everything)] == []
    requests = json.loads(archive.read("letter_requests.json"))
    waived = next(r for r in requests if r["pk"] == areas.waived_request.pk)
    assert waived["letter"] is None
    assert waived["status"] == areas.waived_request.status

    # Control: the same scan finds the letter the applicant may read, so it sees.
    secrets = _letter_secrets(areas.open_letter, shared_with=_read(areas.waived_letter.file))
    found = {name for name, p in secrets.items() if p.search(everything)}
    # The writer's own file name is shown to the writer only (docs/dev/phi-guard.md, file
    # names): the applicant's copy carries the neutral name, so only the name is missing.
    assert found == set(secrets) - {"name", "name_stem"}
    assert f"files/letters/letter-{areas.open_request.pk}.pdf" in archive.namelist()


def test_outsider_export_holds_none_of_the_applicant(
    outsider_client: Client, areas: AreaData, applicant: Any
) -> None:
    archive, _ = _zip(outsider_client.get("/api/v1/me/export"))
    everything = _everything(archive)
    assert applicant.email.encode() not in everything
    assert JOURNAL_MARKER.encode() not in everything
    assert not [n for n in archive.namelist() if n.startswith("files/")]


def test_profile_button_posts_and_downloads(applicant_client: Client) -> None:
    page = applicant_client.get(reverse("accounts:profile"))
    assert reverse("accounts:export").encode() in page.content
    assert applicant_client.get(reverse("accounts:export")).status_code == 405
    response = applicant_client.post(reverse("accounts:export"))
    assert response.status_code == 200
    archive, _ = _zip(response)
    assert "manifest.json" in archive.namelist()


def test_export_query_count_does_not_grow_with_data(
    applicant_client: Client, applicant: Any, areas: AreaData
) -> None:
    with CaptureQueriesContext(connection) as first:
        applicant_client.get("/api/v1/me/export")
    for n in range(3):
        upload_document(applicant, "cv", content=make_pdf(f"more {n}"), name=f"more{n}.pdf")
        StatementVersionFactory(statement=StatementFactory(applicant=applicant))
    with CaptureQueriesContext(connection) as second:
        applicant_client.get("/api/v1/me/export")
    assert len(second) == len(first)
    # 40 before the ERAS season area (programs + requirements, targets + changes + interviews),
    # 45 with it; the SOAP area adds six prefetch queries (weeks, lists, rows, applications,
    # their letters, offers); the applications' payment reminders one more (51, measured).
    assert len(first) <= 51


def test_anonymous_gets_401(anonymous: Client) -> None:
    assert anonymous.get("/api/v1/me/export").status_code == 401
