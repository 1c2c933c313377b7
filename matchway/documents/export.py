"""Personal-data export hook: the person's vault documents (facts, and the files themselves)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import get_valid_filename

from matchway.accounts.models import User
from matchway.core.privacy import ExportFile, model_row

from .models import Document


def _documents(user: User) -> QuerySet[Document]:
    return Document.objects.filter(owner=user).select_related("type").order_by("created_at", "pk")


def _arcname(document: Document) -> str:
    name = get_valid_filename(document.original_name) or "document"
    return f"files/documents/{document.pk}-{name}"


def export(user: User) -> dict[str, Any]:
    return {
        "documents": [
            {
                **model_row(d, exclude={"owner", "reminded_30_at", "reminded_7_at"}),
                "type_name": d.type.name,
                "file": _arcname(d) if d.file else None,
            }
            for d in _documents(user)
        ]
    }


def files(user: User) -> list[ExportFile]:
    return [(_arcname(d), d.file.storage, d.file.name) for d in _documents(user) if d.file]
