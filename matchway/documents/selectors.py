"""Reads of documents, filtered by who is asking. Hidden documents are simply absent."""

from __future__ import annotations

from django.db.models import QuerySet

from matchway.accounts.models import Role, User

from .models import Document


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
    return document_ids_visible_to_preceptor(user=user)


def document_get_for_user(*, user: User, pk: int) -> Document | None:
    return document_list_for_user(user=user).filter(pk=pk).first()
