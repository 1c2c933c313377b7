"""Reads of documents, filtered by who is asking. Hidden documents are simply absent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet

from matchway.accounts.models import Role, User
from matchway.core import clock

from .models import Document, DocumentStatus, DocumentType


class DocumentStanding(StrEnum):
    """Where an applicant stands with one document type (badges in the vault, the
    application checklist and the catalog). Compares equal to its string value."""

    VERIFIED = "verified"
    UPLOADED = "uploaded"  # waiting for review
    REJECTED = "rejected"
    EXPIRED = "expired"
    EXPIRING = "expiring"  # stops being valid before the date it is needed on
    ERASED = "erased"  # the file was erased under the retention rule: upload it again
    MISSING = "missing"


STATUS_VERIFIED = DocumentStanding.VERIFIED
STATUS_UPLOADED = DocumentStanding.UPLOADED
STATUS_MISSING = DocumentStanding.MISSING
STATUS_REJECTED = DocumentStanding.REJECTED
STATUS_EXPIRED = DocumentStanding.EXPIRED
STATUS_EXPIRING = DocumentStanding.EXPIRING
STATUS_ERASED = DocumentStanding.ERASED


@dataclass(frozen=True)
class DocumentCheck:
    """One required type: its standing, the current document and the last day it counts."""

    code: str
    status: DocumentStanding
    document: Document | None
    valid_until: date | None

    @property
    def ok(self) -> bool:
        return self.status == DocumentStanding.VERIFIED


REVIEW_STATUSES = ("uploaded", "verified", "rejected", "expired")


def document_list_for_user(*, user: User) -> QuerySet[Document]:
    """Documents `user` may see: their own; all for coordinators; none otherwise.

    (Preceptors see documents of applicants booked on their rotations: rotations decides
    that, `rotations.selectors.document_list_for_preceptor`, and serves them through
    `documents.downloads.document_download`.)
    """
    base = Document.objects.select_related("type", "owner")
    if user.role == Role.COORDINATOR:
        return base
    if user.role == Role.APPLICANT:
        return base.filter(owner=user)
    return base.none()


def document_get_for_user(*, user: User, pk: int) -> Document | None:
    return document_list_for_user(user=user).filter(pk=pk).first()


def _type_codes(types: Iterable[DocumentType | str]) -> list[str]:
    return [t.code if isinstance(t, DocumentType) else str(t) for t in types]


def document_current_for(
    owner: User | int, types: Iterable[DocumentType | str]
) -> dict[str, Document]:
    """The current version of each of `types` that `owner` (a user or a user id) has, keyed
    by type code."""
    codes = _type_codes(types)
    owner_id = owner if isinstance(owner, int) else owner.pk
    documents = Document.objects.filter(owner_id=owner_id, is_current=True, type_id__in=codes)
    return {doc.type_id: doc for doc in documents.select_related("type")}


def document_current_for_owners(
    owner_ids: Iterable[int], types: Iterable[DocumentType | str]
) -> dict[int, dict[str, Document]]:
    """`document_current_for` for many people at once: owner id → type code → current
    version (type loaded, for `document_check`). One query whatever the number of people."""
    codes = _type_codes(types)
    owners = set(owner_ids)
    found: dict[int, dict[str, Document]] = {owner: {} for owner in owners}
    if not owners or not codes:
        return found
    documents = Document.objects.filter(
        owner_id__in=owners, is_current=True, type_id__in=codes
    ).select_related("type")
    for doc in documents:
        found[doc.owner_id][doc.type_id] = doc
    return found


def document_valid_until(document: Document) -> date | None:
    """The last day a document counts: its own expiry and/or issue date + validity period.

    Needs `document.type` loaded (select_related) for the validity period.
    """
    limits: list[date] = []
    if document.expires_on is not None:
        limits.append(document.expires_on)
    valid_for = document.type.valid_for_days
    if valid_for and document.issued_on is not None:
        limits.append(document.issued_on + timedelta(days=valid_for))
    return min(limits) if limits else None


def document_standing(
    document: Document | None, *, on: date | None, today: date
) -> DocumentStanding:
    """THE rule for one document's standing; the first that applies, in this order:

    missing (no current version) → erased (retention) → rejected → expired (marked so, or
    its last valid day is before `today`) → expiring (its last valid day is before `on`,
    e.g. a session's end; never when `on` is None; also while waiting for review, because
    the applicant should replace it either way) → verified → uploaded (waiting for review).
    Pure: the caller passes both dates (see `matchway.core.clock`).
    """
    if document is None:
        return DocumentStanding.MISSING
    if document.status == DocumentStatus.ERASED:
        return DocumentStanding.ERASED
    if document.status == DocumentStatus.REJECTED:
        return DocumentStanding.REJECTED
    valid_until = document_valid_until(document)
    if document.status == DocumentStatus.EXPIRED or (
        valid_until is not None and valid_until < today
    ):
        return DocumentStanding.EXPIRED
    if on is not None and valid_until is not None and valid_until < on:
        return DocumentStanding.EXPIRING
    if document.status == DocumentStatus.VERIFIED:
        return DocumentStanding.VERIFIED
    return DocumentStanding.UPLOADED


def document_check(
    document: Document | None, code: str, *, on: date | None, today: date
) -> DocumentCheck:
    """`document_standing` with the document and its last valid day, for one type code."""
    return DocumentCheck(
        code=code,
        status=document_standing(document, on=on, today=today),
        document=document,
        valid_until=document_valid_until(document) if document is not None else None,
    )


def document_status_for(
    user: Any, type_codes: Iterable[DocumentType | str], *, on: date | None, today: date
) -> dict[str, DocumentCheck]:
    """For each type code the user's standing (`document_standing`), in the given order.

    `on` is the date the documents must still be valid on (a session's end for the
    checklist; None when there is no such date); `today` decides what has expired. One
    query; none for an anonymous visitor (everything is missing). `user` may be a user id,
    so a caller holding only `application.applicant_id` loads no user row.
    """
    codes = _type_codes(type_codes)
    current: dict[str, Document] = {}
    if codes and (isinstance(user, int) or getattr(user, "is_authenticated", False)):
        current = document_current_for(user, codes)
    return {code: document_check(current.get(code), code, on=on, today=today) for code in codes}


def document_status_for_types(
    *, owner: User, types: Iterable[DocumentType | str], until: date | None
) -> dict[str, str]:
    """For each type code its standing as a string, as of the provider's today. One query."""
    statuses = document_status_for(owner, types, on=until, today=clock.provider_today())
    return {code: check.status for code, check in statuses.items()}


def document_history_for(*, owner: User, type_code: str) -> QuerySet[Document]:
    """Every version `owner` uploaded of one type, newest first."""
    return (
        Document.objects.filter(owner=owner, type_id=type_code)
        .select_related("type", "reviewer")
        .order_by("-created_at", "-pk")
    )


@dataclass
class VaultRow:
    """One document type in an applicant's vault."""

    type: DocumentType
    current: Document | None
    versions: int
    status: str
    form: Any = None  # the page attaches the type's upload form
    retention: Any = None  # the page attaches what the retention rule says (identity types)


def document_vault_rows(*, owner: User, only: str | None = None) -> list[VaultRow]:
    """Every document type with the owner's current version and version count (3 queries)."""
    types = DocumentType.objects.all()
    if only is not None:
        types = types.filter(code=only)
    current = {
        doc.type_id: doc
        for doc in Document.objects.filter(owner=owner, is_current=True).select_related("reviewer")
    }
    counts = dict(
        Document.objects.filter(owner=owner)
        .values_list("type_id")
        .annotate(n=Count("pk"))
        .values_list("type_id", "n")
    )
    today = clock.provider_today()
    # The vault warns a month ahead, like the first reminder email.
    soon = today + timedelta(days=30)
    rows = []
    for doc_type in types:
        doc = current.get(doc_type.code)
        if doc is not None:
            doc.type = doc_type
        rows.append(
            VaultRow(
                type=doc_type,
                current=doc,
                versions=counts.get(doc_type.code, 0),
                status=document_standing(doc, on=soon, today=today),
            )
        )
    return rows


def document_vault_summary(*, owner: User) -> dict[str, int]:
    """Counts of the owner's current versions by status (for the dashboard), one query."""
    today = clock.provider_today()
    soon = today + timedelta(days=30)
    return Document.objects.filter(owner=owner, is_current=True).aggregate(
        verified=Count("pk", filter=Q(status=DocumentStatus.VERIFIED)),
        waiting=Count("pk", filter=Q(status=DocumentStatus.UPLOADED)),
        rejected=Count("pk", filter=Q(status=DocumentStatus.REJECTED)),
        expired=Count("pk", filter=Q(status=DocumentStatus.EXPIRED)),
        expiring=Count(
            "pk",
            filter=Q(
                status__in=[DocumentStatus.UPLOADED, DocumentStatus.VERIFIED],
                expires_on__gte=today,
                expires_on__lte=soon,
            ),
        ),
    )


def document_todo_documents(*, owner: User) -> list[Document]:
    """The owner's current versions they should replace: rejected, expired, or expiring
    within 30 days of the provider's date (the dashboard's to-do list). One query."""
    today = clock.provider_today()
    return list(
        Document.objects.filter(owner=owner, is_current=True)
        .filter(
            Q(status__in=[DocumentStatus.REJECTED, DocumentStatus.EXPIRED])
            | Q(
                status__in=[DocumentStatus.UPLOADED, DocumentStatus.VERIFIED],
                expires_on__gte=today,
                expires_on__lte=today + timedelta(days=30),
            )
        )
        .select_related("type")
        .order_by("type__name", "pk")
    )


def document_review_queue(
    *, status: str = "uploaded", type_code: str = "", q: str = ""
) -> QuerySet[Document]:
    """Current versions for coordinators to review, oldest waiting first.

    `status` is one of REVIEW_STATUSES or "" for all; `q` matches the owner's name or email.
    """
    # Erased versions (retention) have nothing left to review.
    documents = (
        Document.objects.filter(is_current=True)
        .exclude(status=DocumentStatus.ERASED)
        .select_related("type", "owner", "reviewer")
    )
    if status in REVIEW_STATUSES:
        documents = documents.filter(status=status)
    if type_code:
        documents = documents.filter(type_id=type_code)
    if q:
        documents = documents.filter(
            Q(owner__full_name__icontains=q) | Q(owner__email__icontains=q)
        )
    return documents.order_by("created_at", "pk")


def document_review_count() -> int:
    return Document.objects.filter(is_current=True, status=DocumentStatus.UPLOADED).count()
