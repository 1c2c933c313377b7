"""The secret writer link: every bad link is the same neutral 404; uploads are checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.core.models import AuditEvent, OneTimeToken
from matchway.documents.tests import samples
from matchway.letters.models import LetterRequest, LetterStatus
from matchway.letters.selectors import SYSTEM, letter_get
from matchway.letters.services.requests import letter_request_renew_link, letter_request_withdraw
from matchway.letters.services.writer import letter_request_accept, letter_request_decline

from .factories import last_link_token, pdf_upload, sent_request, token_viewer, uploaded_request

pytestmark = pytest.mark.django_db

NEUTRAL = "This link is not valid"


def _url(token: str, name: str = "letters:write", **kwargs: Any) -> str:
    return reverse(name, kwargs={"token": token, **kwargs})


def _main(response: Any) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def _assert_neutral(response: Any) -> None:
    """404 with exactly the page an unknown link gets: nothing about the request leaks."""
    assert response.status_code == 404
    reference = Client().get(_url("an-unknown-link"))
    assert NEUTRAL in _main(response)
    assert _main(response) == _main(reference)
    for secret in ("Wendy", "Alice", "Adeyemi"):
        assert secret not in response.content.decode()


def test_valid_link_shows_the_request_without_an_account(anonymous: Client, applicant: Any) -> None:
    req = sent_request(applicant, eras_letter_id="ERAS-77")
    response = anonymous.get(_url(last_link_token()))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Letter of recommendation for Alice Adeyemi" in body
    assert "ERAS-77" in body
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert AuditEvent.objects.filter(
        action="letter_request.writer_viewed", target_id=str(req.pk)
    ).exists()


def test_expired_link_is_neutral(anonymous: Client, applicant: Any) -> None:
    sent_request(applicant)
    token = last_link_token()
    OneTimeToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _assert_neutral(anonymous.get(_url(token)))


def test_link_reused_after_final_is_neutral(anonymous: Client, applicant: Any) -> None:
    uploaded_request(applicant, final=True)
    token = last_link_token()
    for name, extra in (
        ("letters:write", {}),
        ("letters:write-letter", {}),
        ("letters:write-brag-sheet", {"fmt": "pdf"}),
    ):
        _assert_neutral(anonymous.get(_url(token, name, **extra)))
    _assert_neutral(anonymous.post(_url(token), {"action": "accept"}))


def test_tampered_link_is_neutral(anonymous: Client, applicant: Any) -> None:
    sent_request(applicant)
    token = last_link_token()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    _assert_neutral(anonymous.get(_url(tampered)))
    _assert_neutral(anonymous.get(_url("x" * 500)))
    _assert_neutral(anonymous.get("/letters/write/" + token + "/something/else"))


def test_another_requests_attachment_is_neutral(
    anonymous: Client, applicant: Any, outsider: Any, reference_data: None
) -> None:
    from matchway.documents.models import Document, DocumentType

    cv = DocumentType.objects.get(code="cv")
    other_doc = Document.objects.create(
        owner=outsider,
        type=cv,
        file=SimpleUploadedFile("cv.pdf", samples.make_pdf("Charlie CV")),
        original_name="cv.pdf",
        sha256="0" * 64,
        size=10,
        content_type="application/pdf",
    )
    own_doc = Document.objects.create(
        owner=applicant,
        type=cv,
        file=SimpleUploadedFile("cv.pdf", samples.make_pdf("Alice CV")),
        original_name="alice-cv.pdf",
        sha256="1" * 64,
        size=10,
        content_type="application/pdf",
    )
    sent_request(applicant, attachment_ids=[own_doc.pk])
    token = last_link_token()
    ok = anonymous.get(_url(token, "letters:write-attachment", document_pk=own_doc.pk))
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content).startswith(b"%PDF")
    _assert_neutral(
        anonymous.get(_url(token, "letters:write-attachment", document_pk=other_doc.pk))
    )


def test_another_requests_link_cannot_act_on_this_one(applicant: Any) -> None:
    first = sent_request(applicant)
    first_token = last_link_token()
    second = sent_request(applicant, writer_email="someone@example.org")
    viewer = token_viewer(first_token)
    from matchway.core.exceptions import NotFound

    with pytest.raises(NotFound):
        letter_request_accept(actor=viewer, letter_request=second)
    assert first.pk != second.pk


def test_link_of_another_purpose_is_neutral(anonymous: Client, applicant: Any) -> None:
    from matchway.core.tokens import token_issue

    req = sent_request(applicant)
    other = token_issue(
        purpose="evaluation", target=req, ttl=dt.timedelta(days=1), revoke_previous=False
    )
    _assert_neutral(anonymous.get(_url(other.raw)))


@pytest.mark.parametrize(
    "close",
    [
        lambda applicant, req: letter_request_withdraw(actor=applicant, letter_request=req),
        lambda applicant, req: letter_request_decline(
            actor=token_viewer(last_link_token()), letter_request=req
        ),
        lambda applicant, req: LetterRequest.objects.filter(pk=req.pk).update(
            status=LetterStatus.EXPIRED
        ),
    ],
    ids=["withdrawn", "declined", "expired"],
)
def test_link_of_closed_request_is_neutral(
    anonymous: Client, applicant: Any, close: Callable[[Any, Any], Any]
) -> None:
    req = sent_request(applicant)
    token = last_link_token()
    close(applicant, req)
    _assert_neutral(anonymous.get(_url(token)))


def test_renewed_link_kills_the_old_one(anonymous: Client, applicant: Any) -> None:
    req = sent_request(applicant)
    old = last_link_token()
    letter_request_renew_link(actor=applicant, letter_request=req)
    new = last_link_token()
    _assert_neutral(anonymous.get(_url(old)))
    assert anonymous.get(_url(new)).status_code == 200


def test_link_pages_are_rate_limited_per_ip(anonymous: Client, settings: Any) -> None:
    settings.LETTER_TOKEN_RATE_LIMIT = 5
    for _ in range(5):
        assert anonymous.get(_url("nope")).status_code == 404
    response = anonymous.get(_url("nope"))
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert response["Retry-After"]
    other_ip = anonymous.get(_url("nope"), REMOTE_ADDR="10.9.8.7")
    assert other_ip.status_code == 404


def test_writer_journey_through_the_link(anonymous: Client, applicant: Any) -> None:
    req = sent_request(applicant)
    url = _url(last_link_token())
    assert anonymous.post(url, {"action": "accept"}).status_code == 302
    response = anonymous.post(url, {"action": "upload", "file": pdf_upload()})
    assert response.status_code == 302
    page = anonymous.get(url).content.decode()
    assert "Letter_for_Alice.pdf" in page  # the writer sees their own file
    download = anonymous.get(_url(last_link_token(), "letters:write-letter"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="letter-')
    done = anonymous.post(url, {"action": "finalize", "eras_uploaded": "on"})
    assert done.status_code == 200
    assert "Thank you for your letter" in done.content.decode()
    req.refresh_from_db()
    assert req.status == LetterStatus.UPLOADED
    assert req.finalized_at
    assert req.eras_uploaded_at
    _assert_neutral(anonymous.get(url))


def test_decline_with_note(anonymous: Client, applicant: Any) -> None:
    req = sent_request(applicant)
    url = _url(last_link_token())
    response = anonymous.post(url, {"action": "decline", "note": "Away on sabbatical."})
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.status == LetterStatus.DECLINED
    assert req.decline_note == "Away on sabbatical."
    _assert_neutral(anonymous.get(url))


HOSTILE = {
    "encrypted": (samples.make_encrypted_pdf, "password-protected"),
    "javascript": (samples.make_pdf_with_open_action_js, "JavaScript"),
    "embedded": (samples.make_pdf_with_embedded_file, "embedded files"),
    "truncated": (samples.make_truncated_pdf, "damaged"),
    "html_renamed": (
        lambda: b"<!doctype html><html><script>alert(1)</script></html>",
        "HTML page",
    ),
    "html_before_header": (samples.make_pdf_with_html_before_header, "not a PDF"),
    "oversize": (lambda: samples.make_pdf("x") + b"%" + b"0" * (1024 * 1024), "larger than"),
    "zero_bytes": (lambda: b"", "empty"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_upload_is_refused_and_previous_letter_kept(
    anonymous: Client, applicant: Any, kind: str
) -> None:
    req = sent_request(applicant)
    url = _url(last_link_token())
    assert anonymous.post(url, {"action": "upload", "file": pdf_upload()}).status_code == 302
    letter = letter_get(viewer=SYSTEM, letter_request=req)
    assert letter is not None
    before = (letter.file.name, letter.sha256, letter.version)
    content_fn, expected = HOSTILE[kind]
    hostile = SimpleUploadedFile("letter.pdf", content_fn(), "application/pdf")
    response = anonymous.post(url, {"action": "upload", "file": hostile})
    assert response.status_code == 422
    assert expected in response.content.decode()
    letter.refresh_from_db()
    assert (letter.file.name, letter.sha256, letter.version) == before
    assert letter.file.storage.exists(letter.file.name)
    stored = letter.file.storage.listdir("letters")[1]
    assert stored == [letter.file.name.split("/")[-1]]  # nothing else was written


def test_hostile_first_upload_stores_nothing(anonymous: Client, applicant: Any) -> None:
    req = sent_request(applicant)
    url = _url(last_link_token())
    hostile = SimpleUploadedFile("x.pdf", samples.make_pdf_with_launch(), "application/pdf")
    response = anonymous.post(url, {"action": "upload", "file": hostile})
    assert response.status_code == 422
    req.refresh_from_db()
    assert req.status == LetterStatus.REQUESTED
    assert letter_get(viewer=SYSTEM, letter_request=req) is None


def test_standardized_letter_is_confirmed_not_uploaded(
    anonymous: Client, applicant: Any, reference_data: None
) -> None:
    req = sent_request(applicant, kind="standardized", specialty_code="480")
    url = _url(last_link_token())
    page = anonymous.get(url).content.decode()
    assert "A PDF of the form is not accepted" in page
    assert 'name="file"' not in page
    done = anonymous.post(url, {"action": "eras"})
    assert done.status_code == 200
    assert "standardized letter is complete" in done.content.decode()
    req.refresh_from_db()
    assert req.status == LetterStatus.UPLOADED
    assert req.finalized_at is not None
    _assert_neutral(anonymous.get(url))
