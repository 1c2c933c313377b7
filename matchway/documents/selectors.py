"""Reads of documents, filtered by who is asking. Hidden documents are simply absent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from matchway.accounts.models import Role, User
from matchway.core import clock

from .models import Document, DocumentStatus, DocumentType

# Values of `document_status_for_types` (the rotations pages show them as badges).
STATUS_VERIFIED = "verified"
STATUS_UPLOADED = "uploaded"
STATUS_MISSING = "missing"
STATUS_REJECTED = "rejected"
STATUS_EXPIRED = "expired"
STATUS_EXPIRING = "expiring"

REVIEW_STATUSES = ("uploaded", "verified", "rejected", "expired")


def document_list_for_user(*, user: User) -> QuerySet[Document]:
    """Documents `user` may see: their own; all for coordinators; none otherwise.

    (Preceptors gain access to documents of confirmed applications in rotations — that
    rule is added by the rotations app through `document_visible_to_preceptor`.)
    """
    base = Document.objects.select_related("type", "owner")
    if user.role == Role.COORDINATOR:
        return base
    if user.role == Role.APPLICANT:
        return base.filter(owner=user)
    if user.role == Role.PRECEPTOR:
        return base.filter(pk__in=_preceptor_document_ids(user))
    return base.none()


def _preceptor_document_ids(user: User) -> list[int]:
    try:
        from matchway.rotations.selectors import document_ids_visible_to_preceptor
    except ImportError:
        return []
    return list(document_ids_visible_to_preceptor(user=user))


def document_get_for_user(*, user: User, pk: int) -> Document | None:
    return document_list_for_user(user=user).filter(pk=pk).first()


def _type_codes(types: Iterable[DocumentType | str]) -> list[str]:
    return [t.code if isinstance(t, DocumentType) else str(t) for t in types]


def document_current_for(owner: User, types: Iterable[DocumentType | str]) -> dict[str, Document]:
    """The current version of each of `types` that `owner` has, keyed by type code."""
    codes = _type_codes(types)
    documents = Document.objects.filter(owner=owner, is_current=True, type_id__in=codes)
    return {doc.type_id: doc for doc in documents.select_related("type")}


def document_status_of(document: Document | None, *, until: date | None, today: date) -> str:
    """One document's standing: missing, rejected, expired, expiring (before `until`),
    verified or uploaded — the first that applies, in that order."""
    if document is None:
        return STATUS_MISSING
    if document.status == DocumentStatus.REJECTED:
        return STATUS_REJECTED
    expires_on = document.expires_on
    if document.status == DocumentStatus.EXPIRED or (expires_on is not None and expires_on < today):
        return STATUS_EXPIRED
    if until is not None and expires_on is not None and expires_on < until:
        return STATUS_EXPIRING
    if document.status == DocumentStatus.VERIFIED:
        return STATUS_VERIFIED
    return STATUS_UPLOADED


def document_status_for_types(
    *, owner: User, types: Iterable[DocumentType | str], until: date | None
) -> dict[str, str]:
    """For each type code: `verified|uploaded|missing|rejected|expired|expiring`.

    `expiring` means the current version expires before `until` (e.g. a session's end
    date). One query.
    """
    codes = _type_codes(types)
    current = document_current_for(owner, codes)
    today = clock.provider_today()
    return {code: document_status_of(current.get(code), until=until, today=today) for code in codes}


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
                status=document_status_of(doc, until=soon, today=today),
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


def document_review_queue(
    *, status: str = "uploaded", type_code: str = "", q: str = ""
) -> QuerySet[Document]:
    """Current versions for coordinators to review, oldest waiting first.

    `status` is one of REVIEW_STATUSES or "" for all; `q` matches the owner's name or email.
    """
    documents = Document.objects.filter(is_current=True).select_related("type", "owner", "reviewer")
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
