"""Writes of the document vault: upload a version, review it, expire it, remind about it.

Rules: docs/dev/private-files.md. Files are checked by `validation.py` before anything is
stored; a refused or failed upload leaves the previous version current and untouched.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    PhiDetected,
    ValidationFailed,
)
from matchway.core.links import absolute_url
from matchway.core.locking import lock_for_update
from matchway.phi.guard import phi_scan_fields

from ..models import Document, DocumentStatus, DocumentType
from ..validation import validate_upload

MSG_UPLOAD_OWN = _("Only applicants can upload documents, and only to their own vault.")
MSG_REVIEW_ROLE = _("Only coordinators can review documents.")
MSG_UNKNOWN_TYPE = _("Choose a document type from the list.")
MSG_EXPIRY_REQUIRED = _("This document expires: enter the expiry date printed on it.")
MSG_ALREADY_EXPIRED = _("This document has already expired. Please upload a current one.")
MSG_ISSUED_IN_FUTURE = _("The issue date cannot be in the future.")
MSG_TOO_OLD = _(
    "This document is only good for %(days)s days from its date, so it is no longer valid. "
    "Please upload a newer one."
)
MSG_REASON_REQUIRED = _("Tell the applicant why, so they can fix it.")
MSG_REASON_TOO_LONG = _("Keep the reason under %(max)s characters.")
MSG_NOT_REVIEWABLE = _(
    "This document can no longer be reviewed: a newer version exists or it has expired."
)
MSG_ALREADY_VERIFIED = _("This document is already verified.")
MSG_ALREADY_REJECTED = _("This document is already rejected.")
MSG_VERIFY_EXPIRED = _("This document has expired and cannot be verified.")

REASON_MAX_LENGTH = 1000
REMINDER_WINDOWS = ((7, "reminded_7_at"), (30, "reminded_30_at"))
LIVE_STATUSES = (DocumentStatus.UPLOADED, DocumentStatus.VERIFIED)


def _vault_url() -> str:
    return absolute_url("documents:vault")


def document_dates(
    *,
    doc_type: DocumentType,
    issued_on: date | None,
    expires_on: date | None,
    today: date | None = None,
) -> tuple[date | None, date | None]:
    """Check and complete a version's dates; raise `ValidationFailed` with field errors.

    Types with `valid_for_days` get their expiry from the issue date when one is given
    (the earlier of that and any printed expiry); types that `expires` need a date.
    """
    today = today or clock.provider_today()
    errors: dict[str, list[str]] = {}
    if issued_on is not None and issued_on > today:
        errors.setdefault("issued_on", []).append(str(MSG_ISSUED_IN_FUTURE))
    if doc_type.valid_for_days and issued_on is not None:
        computed = issued_on + timedelta(days=doc_type.valid_for_days)
        expires_on = min(expires_on, computed) if expires_on else computed
        if computed < today and "issued_on" not in errors:
            errors["issued_on"] = [str(MSG_TOO_OLD % {"days": doc_type.valid_for_days})]
    if doc_type.expires and expires_on is None:
        errors.setdefault("expires_on", []).append(str(MSG_EXPIRY_REQUIRED))
    elif expires_on is not None and expires_on < today and "issued_on" not in errors:
        # (An issue date is never after today, so this also catches expiry before issue.)
        errors.setdefault("expires_on", []).append(str(MSG_ALREADY_EXPIRED))
    if errors:
        raise ValidationFailed(errors=errors)
    return issued_on, expires_on


def document_upload(
    *,
    actor: User,
    owner: User,
    type_code: str,
    file: UploadedFile | IO[bytes],
    original_name: str,
    issued_on: date | None = None,
    expires_on: date | None = None,
    ip: str | None = None,
) -> Document:
    """Store a new version of `owner`'s document of type `type_code` and make it current.

    Call outside a transaction. Checks run first (dates, then the file through
    `validate_upload`: size while streaming, magic bytes, PDF/image rules), so a refused
    file writes nothing. The checked bytes are then saved to private storage, and one
    transaction locks the owner's row (serializing their uploads), retires the previous
    current version (kept, `is_current=False`), creates the new one and audits
    `document.uploaded`. If that transaction fails the stored file is deleted and the
    previous version stays current. Raises `AccessDenied`, `ValidationFailed`
    (`type`, `issued_on`, `expires_on`), `UploadRejected` or `BusyError`.
    """
    if actor.pk != owner.pk or owner.role != Role.APPLICANT:
        raise AccessDenied(MSG_UPLOAD_OWN)
    doc_type = DocumentType.objects.filter(code=type_code).first()
    if doc_type is None:
        raise ValidationFailed(errors={"type": [str(MSG_UNKNOWN_TYPE)]})
    issued_on, expires_on = document_dates(
        doc_type=doc_type, issued_on=issued_on, expires_on=expires_on
    )
    checked = validate_upload(
        file,
        original_name=original_name,
        allowed_content_types=doc_type.allowed_content_types,
        max_bytes=doc_type.max_size_bytes,
    )
    storage = Document._meta.get_field("file").storage
    # Storage I/O stays outside the transaction; the name is random, never the upload's.
    stored_name = storage.save(
        f"documents/{owner.pk}/{uuid.uuid4().hex}", ContentFile(checked.content)
    )
    try:
        with transaction.atomic():
            lock_for_update(User, [owner.pk])
            previous = (
                Document.objects.filter(owner=owner, type=doc_type, is_current=True)
                .values_list("pk", flat=True)
                .first()
            )
            if previous is not None:
                Document.objects.filter(pk=previous).update(
                    is_current=False, updated_at=clock.now()
                )
            document = Document.objects.create(
                owner=owner,
                type=doc_type,
                file=stored_name,
                original_name=checked.safe_name,
                sha256=checked.sha256,
                size=checked.size,
                content_type=checked.content_type,
                pages=checked.pages,
                issued_on=issued_on,
                expires_on=expires_on,
                status=DocumentStatus.UPLOADED,
                is_current=True,
            )
            audit_record(
                actor=actor,
                action="document.uploaded",
                target=document,
                data={
                    "type": doc_type.code,
                    "sha256": checked.sha256,
                    "size": checked.size,
                    "content_type": checked.content_type,
                    "replaces": previous,
                },
                ip=ip,
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return document


def _require_coordinator(actor: User) -> None:
    if actor.role != Role.COORDINATOR:
        raise AccessDenied(MSG_REVIEW_ROLE)


def _review_claim(
    *,
    actor: User,
    document: Document,
    from_statuses: list[str],
    to_status: str,
    reason: str,
    action: str,
    data: dict[str, Any],
    ip: str | None,
) -> None:
    """Record a coordinator's review of the current version and audit `action`.

    Call inside a transaction. Compare-and-set: the row moves to `to_status` only if it is
    still current and in one of `from_statuses`, so of two reviews at once one wins and the
    other raises `InvalidTransition`.
    """
    now = clock.now()
    claimed = Document.objects.filter(
        pk=document.pk, is_current=True, status__in=from_statuses
    ).update(status=to_status, reviewer=actor, reviewed_at=now, reason=reason, updated_at=now)
    if claimed != 1:
        raise InvalidTransition(MSG_NOT_REVIEWABLE)
    audit_record(actor=actor, action=action, target=document, data=data, ip=ip)


def document_verify(*, actor: User, document: Document, ip: str | None = None) -> Document:
    """Mark the current version verified (from `uploaded`, or `rejected` on second thought).

    Compare-and-set on the row's status, so two coordinators clicking at once verify it
    once. Audits `document.verified`. Raises `AccessDenied` or `InvalidTransition`.
    """
    _require_coordinator(actor)
    if document.status == DocumentStatus.VERIFIED and document.is_current:
        raise InvalidTransition(MSG_ALREADY_VERIFIED)
    if document.expires_on is not None and document.expires_on < clock.provider_today():
        raise InvalidTransition(MSG_VERIFY_EXPIRED)
    with transaction.atomic():
        _review_claim(
            actor=actor,
            document=document,
            from_statuses=[DocumentStatus.UPLOADED, DocumentStatus.REJECTED],
            to_status=DocumentStatus.VERIFIED,
            reason="",
            action="document.verified",
            data={"owner": document.owner_id, "type": document.type_id},
            ip=ip,
        )
    document.refresh_from_db()
    return document


def clean_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(errors={"reason": [str(MSG_REASON_REQUIRED)]})
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationFailed(
            errors={"reason": [str(MSG_REASON_TOO_LONG % {"max": REASON_MAX_LENGTH})]}
        )
    return text


def document_reject(
    *, actor: User, document: Document, reason: str, ip: str | None = None
) -> Document:
    """Reject the current version with a reason the applicant sees, and email them.

    Compare-and-set on the status (from `uploaded`, or `verified` when a problem is found
    later). Audits `document.rejected`; the email goes out after commit. Raises
    `AccessDenied`, `ValidationFailed` (`reason`; `PhiDetected` when it may identify a
    patient, e.g. one named on a clinical document) or `InvalidTransition`.
    """
    _require_coordinator(actor)
    text = clean_reason(reason)
    # The reason is emailed and kept in the audit log: refuse patient identifiers first.
    PhiDetected.raise_if(
        phi_scan_fields(
            {"reason": text},
            parties=[document.owner.get_full_name(), actor.get_full_name()],
            known=[document.owner.email],
            physicians=True,
        )
    )
    if document.status == DocumentStatus.REJECTED and document.is_current:
        raise InvalidTransition(MSG_ALREADY_REJECTED)
    with transaction.atomic():
        _review_claim(
            actor=actor,
            document=document,
            from_statuses=[DocumentStatus.UPLOADED, DocumentStatus.VERIFIED],
            to_status=DocumentStatus.REJECTED,
            reason=text,
            action="document.rejected",
            data={"owner": document.owner_id, "type": document.type_id, "reason": text},
            ip=ip,
        )
        document.refresh_from_db()
        email_send(
            to=[document.owner.email],
            template="document_rejected",
            context={
                "document": document,
                "owner": document.owner,
                "reason": text,
                "vault_url": _vault_url(),
            },
        )
    return document


def documents_mark_expired() -> int:
    """Periodic job: `uploaded`/`verified` versions past their expiry become `expired`.

    Idempotent: each row is claimed with a conditional UPDATE (compare-and-set), so an
    overlapping run skips it. The owner is emailed about current versions. Returns the
    number of documents marked.
    """
    today = clock.provider_today()
    candidates = list(
        Document.objects.filter(status__in=LIVE_STATUSES, expires_on__lt=today).select_related(
            "type", "owner"
        )
    )
    marked = 0
    for document in candidates:
        with transaction.atomic():
            claimed = Document.objects.filter(pk=document.pk, status=document.status).update(
                status=DocumentStatus.EXPIRED, updated_at=clock.now()
            )
            if claimed != 1:
                continue  # race: another run (or a reviewer) changed it first
            audit_record(
                actor=None,
                action="document.expired",
                target=document,
                data={"expires_on": document.expires_on.isoformat() if document.expires_on else ""},
            )
            if document.is_current:
                email_send(
                    to=[document.owner.email],
                    template="document_expired",
                    context={
                        "document": document,
                        "owner": document.owner,
                        "vault_url": _vault_url(),
                    },
                )
        marked += 1
    return marked


def documents_send_expiry_reminders() -> int:
    """Periodic job: email owners 30 and 7 days before a current document expires.

    Each reminder is claimed by setting `reminded_30_at` / `reminded_7_at` with a
    conditional UPDATE (compare-and-set), so reruns and overlapping runs send nothing
    twice. A document first seen inside the 7-day window gets only the 7-day email (the
    claim fills the 30-day mark too). Returns the number of emails sent.
    """
    today = clock.provider_today()
    sent = 0
    for days, field in REMINDER_WINDOWS:
        due = list(
            Document.objects.filter(
                is_current=True,
                status__in=LIVE_STATUSES,
                expires_on__gte=today,
                expires_on__lte=today + timedelta(days=days),
                **{f"{field}__isnull": True},
            ).select_related("type", "owner")
        )
        for document in due:
            now = clock.now()
            updates: dict[str, Any] = {field: now}
            if field == "reminded_7_at":
                updates["reminded_30_at"] = Coalesce(
                    "reminded_30_at", Value(now), output_field=DateTimeField()
                )
            with transaction.atomic():
                claimed = Document.objects.filter(
                    pk=document.pk, **{f"{field}__isnull": True}
                ).update(**updates)
                if claimed != 1:
                    continue  # race: another run sent this reminder
                days_left = (document.expires_on - today).days if document.expires_on else 0
                audit_record(
                    actor=None,
                    action="document.expiry_reminded",
                    target=document,
                    data={"window_days": days, "days_left": days_left},
                )
                email_send(
                    to=[document.owner.email],
                    template="document_expiring",
                    context={
                        "document": document,
                        "owner": document.owner,
                        "days_left": days_left,
                        "vault_url": _vault_url(),
                    },
                )
            sent += 1
    return sent
