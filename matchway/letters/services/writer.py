"""The writer's actions (secret link or preceptor account): accept, decline, upload or
replace the PDF, mark it final, confirm it is in ERAS. Every one re-checks the writer and
the request's state under the request's row lock."""

from __future__ import annotations

import contextlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.email import email_send
from matchway.core.exceptions import InvalidTransition, PhiDetected
from matchway.core.storage import private_storage
from matchway.documents.validation import ValidatedFile, validate_pdf
from matchway.phi.guard import phi_scan_fields

from .. import conf
from ..models import WAITING_STATES, WRITER_STATES, Letter, LetterKind, LetterRequest, LetterStatus
from ..selectors import SYSTEM, TokenViewer, Viewer, letter_get
from .common import (
    applicant_context,
    audit,
    links_kill,
    request_lock,
    writer_check,
    writer_state_require,
)

MSG_NOT_NARRATIVE = gettext_lazy(
    "Standardized letters are completed inside ERAS or ResidencyCAS, not uploaded here."
)
MSG_NO_FILE = gettext_lazy("Upload the letter before marking it final.")


def letter_request_takes_writer_action(letter_request: LetterRequest, *, action: str) -> bool:
    """Whether the writer's page still takes `action` on this request: any action while the
    writer can act (`writer_can_act`); once the letter is final, only confirming that it is
    in ERAS ("eras"), which `letter_confirm_eras` allows a preceptor with an account."""
    return letter_request.writer_can_act or (
        action == "eras" and letter_request.status == LetterStatus.UPLOADED
    )


def letter_request_accept(
    *, actor: Viewer, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """requested → accepted; the applicant is told."""
    with transaction.atomic():
        req = request_lock(letter_request)
        writer_check(actor, req)
        writer_state_require(req, (LetterStatus.REQUESTED,))
        req.status = LetterStatus.ACCEPTED
        req.accepted_at = clock.now()
        req.save()
        audit(actor, "letter_request.accepted", req, {}, ip)
        email_send(
            to=[req.applicant.email], template="letter_accepted", context=applicant_context(req)
        )
    return req


def letter_request_decline(
    *, actor: Viewer, letter_request: LetterRequest, note: str = "", ip: str | None = None
) -> LetterRequest:
    """requested/accepted → declined; links die; the applicant is told (with the note).

    A note that may identify a patient raises `PhiDetected` before anything changes (the
    writer's and applicant's own names are not findings).
    """
    PhiDetected.raise_if(
        phi_scan_fields(
            {"note": note},
            parties=[letter_request.writer_name, letter_request.applicant.get_full_name()],
            known=[letter_request.writer_email, letter_request.applicant.email],
            physicians=True,
        )
    )
    with transaction.atomic():
        req = request_lock(letter_request)
        writer_check(actor, req)
        writer_state_require(req, WAITING_STATES)
        req.status = LetterStatus.DECLINED
        req.declined_at = clock.now()
        req.decline_note = note.strip()[:2000]
        links_kill(req)
        req.save()
        audit(actor, "letter_request.declined", req, {"with_note": bool(req.decline_note)}, ip)
        email_send(
            to=[req.applicant.email], template="letter_declined", context=applicant_context(req)
        )
    return req


def letter_upload(
    *,
    actor: Viewer,
    letter_request: LetterRequest,
    file: ValidatedFile | UploadedFile,
    ip: str | None = None,
) -> LetterRequest:
    """Store (or replace) the PDF of a narrative letter; status becomes `uploaded`.

    `file` is a raw upload, checked here first (`documents.validation.validate_pdf` with
    `LETTER_MAX_BYTES`: a hostile, broken or oversized PDF raises `UploadRejected` before
    anything is stored), or a file that already passed that check. The first upload emails
    the applicant that the letter arrived (no details); a replacement updates the same
    `Letter` row, so program assignments stay, and deletes the superseded file after commit.
    If anything fails before the commit, the transaction rolls back, the new file is removed
    and the previous letter is untouched; a failure after the commit (an on-commit callback)
    keeps the file, because the committed `Letter` row points at it.
    """
    if not isinstance(file, ValidatedFile):
        file = validate_pdf(file, original_name=file.name or "", max_bytes=conf.max_bytes())
    stored_name: str | None = None
    old_name: str | None = None
    committed: list[bool] = []
    try:
        with transaction.atomic():
            req = request_lock(letter_request)
            writer_check(actor, req)
            writer_state_require(req, WRITER_STATES)
            if req.kind != LetterKind.NARRATIVE:
                raise InvalidTransition(MSG_NOT_NARRATIVE)
            now = clock.now()
            uploader = actor if isinstance(actor, User) else None
            letter = letter_get(viewer=SYSTEM, letter_request=req)
            first = letter is None
            if letter is None:
                letter = Letter(request=req, uploaded_at=now, version=0)
            else:
                old_name = letter.file.name or None
            # save=False: the row is written below with the file facts in one statement.
            letter.file.save(file.safe_name, ContentFile(file.content), save=False)
            stored_name = letter.file.name
            # The file may only go if the row that points at it does not commit.
            transaction.on_commit(lambda: committed.append(True))
            letter.original_name = file.safe_name
            letter.content_type = file.content_type
            letter.sha256 = file.sha256
            letter.size = file.size
            letter.pages = file.pages or 0
            letter.uploaded_by = uploader
            letter.uploaded_at = now
            letter.version += 1
            letter.save()
            if req.status != LetterStatus.UPLOADED:
                req.status = LetterStatus.UPLOADED
                req.accepted_at = req.accepted_at or now
                req.uploaded_at = now
            req.save()
            audit(
                actor,
                "letter.uploaded" if first else "letter.replaced",
                req,
                {"version": letter.version},
                ip,
            )
            if first:
                email_send(
                    to=[req.applicant.email],
                    template="letter_arrived",
                    context=applicant_context(req),
                )
            if old_name:
                storage = letter.file.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        if stored_name and not committed:
            with contextlib.suppress(OSError):
                private_storage().delete(stored_name)
        raise
    return req


def letter_finalize(
    *,
    actor: Viewer,
    letter_request: LetterRequest,
    eras_uploaded: bool = False,
    ip: str | None = None,
) -> LetterRequest:
    """Mark the uploaded letter final: no more replacing, and every writer link dies."""
    with transaction.atomic():
        req = request_lock(letter_request)
        writer_check(actor, req)
        writer_state_require(req, (LetterStatus.UPLOADED,))
        letter = letter_get(viewer=SYSTEM, letter_request=req)
        if letter is None or not letter.has_file:
            raise InvalidTransition(MSG_NO_FILE)
        now = clock.now()
        req.finalized_at = now
        if eras_uploaded and req.eras_uploaded_at is None:
            req.eras_uploaded_at = now
        links_kill(req)
        req.save()
        audit(actor, "letter.finalized", req, {"eras_uploaded": eras_uploaded}, ip)
    return req


def letter_confirm_eras(
    *, actor: Viewer, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """The writer says the letter is in ERAS (or ResidencyCAS).

    Narrative: records the date (allowed after final for writers with an account).
    Standardized: this IS the letter — the request becomes uploaded and final, with a
    file-less `Letter` row so it can be assigned to programs; the applicant is told.
    """
    with transaction.atomic():
        req = request_lock(letter_request)
        now = clock.now()
        if req.kind == LetterKind.STANDARDIZED:
            writer_check(actor, req)
            writer_state_require(req, WAITING_STATES)
            Letter.objects.create(
                request=req,
                uploaded_at=now,
                version=1,
                uploaded_by=actor if isinstance(actor, User) else None,
            )
            req.status = LetterStatus.UPLOADED
            req.accepted_at = req.accepted_at or now
            req.uploaded_at = now
            req.finalized_at = now
            req.eras_uploaded_at = now
            links_kill(req)
            req.save()
            audit(actor, "letter_request.eras_confirmed", req, {"kind": req.kind}, ip)
            email_send(
                to=[req.applicant.email],
                template="letter_arrived",
                context=applicant_context(req),
            )
            return req
        if isinstance(actor, TokenViewer):
            writer_check(actor, req)
            writer_state_require(req, (LetterStatus.UPLOADED,))
        else:
            writer_check(actor, req)
            if req.status != LetterStatus.UPLOADED:
                raise InvalidTransition()
        if req.eras_uploaded_at is None:
            req.eras_uploaded_at = now
            req.save(update_fields=["eras_uploaded_at", "updated_at"])
            audit(actor, "letter_request.eras_confirmed", req, {"kind": req.kind}, ip)
    return req
