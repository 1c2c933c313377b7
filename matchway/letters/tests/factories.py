"""Test helpers for letters. States are reached through the real services (no row hacks),
except where a test needs a clock in the past."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from matchway.accounts.models import User
from matchway.documents.tests.samples import make_pdf
from matchway.documents.validation import validate_pdf
from matchway.letters.models import LetterRequest
from matchway.letters.selectors import TokenViewer, writer_token_resolve
from matchway.letters.services.compose import RequestInput, letter_request_create
from matchway.letters.services.writer import letter_finalize, letter_request_accept, letter_upload
from matchway.rotations.models import Application, ApplicationStatus
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

LINK_RE = re.compile(r"/letters/write/([A-Za-z0-9_\-]+)/")


def rotation_application(
    applicant: User,
    preceptor: User,
    *,
    status: str = ApplicationStatus.COMPLETED,
    start: dt.date | None = None,
    days: int = 28,
) -> Application:
    start = start or timezone.localdate() - dt.timedelta(days=35)
    rotation = RotationFactory(preceptors=[preceptor])
    session = RotationSessionFactory(
        rotation=rotation, start_date=start, end_date=start + dt.timedelta(days=days - 1)
    )
    return ApplicationFactory(applicant=applicant, session=session, status=status)


def request_input(**overrides: Any) -> RequestInput:
    values: dict[str, Any] = {
        "due_date": timezone.localdate() + dt.timedelta(days=42),
        "waived": True,
        "writer_name": "Dr. Wendy Writer",
        "writer_email": "wendy.writer@example.org",
        "writer_title": "MD, Internal Medicine",
    }
    values.update(overrides)
    return RequestInput(**values)


def sent_request(applicant: User, **overrides: Any) -> LetterRequest:
    return letter_request_create(actor=applicant, data=request_input(**overrides), send=True)


def last_link_token(to: str | None = None) -> str:
    """The raw token in the newest email (to `to`) that carries a writer link."""
    for message in reversed(mail.outbox):
        if to is not None and to not in message.to:
            continue
        match = LINK_RE.search(message.body)
        if match:
            return match.group(1)
    raise AssertionError("no writer link in the outbox")


def token_viewer(token: str) -> TokenViewer:
    viewer = writer_token_resolve(token)
    assert viewer is not None
    return viewer


def pdf_upload(content: bytes | None = None, name: str = "Letter_for_Alice.pdf") -> Any:
    return SimpleUploadedFile(name, content or make_pdf("Confidential letter"), "application/pdf")


def validated_pdf(
    text: str = "Confidential letter body", pages: int = 2, name: str = "letter.pdf"
) -> Any:
    return validate_pdf(
        pdf_upload(make_pdf(text, pages=pages), name), original_name=name, max_bytes=1024 * 1024
    )


def uploaded_request(
    applicant: User, *, final: bool = True, waived: bool = True, **overrides: Any
) -> LetterRequest:
    """A request whose writer accepted, uploaded a 2-page PDF and (by default) finalized."""
    req = sent_request(applicant, waived=waived, **overrides)
    viewer = token_viewer(last_link_token())
    letter_request_accept(actor=viewer, letter_request=req)
    letter_upload(
        actor=viewer,
        letter_request=req,
        file=validated_pdf(name="Strong_letter_Adeyemi.pdf"),
    )
    if final:
        letter_finalize(actor=viewer, letter_request=req, eras_uploaded=True)
    req.refresh_from_db()
    return req
