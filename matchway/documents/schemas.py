from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from .models import Document


class DocumentCreateIn(Schema):
    """Multipart form fields beside `file`."""

    type: str
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


class DocumentOut(Schema):
    id: int
    type: str
    type_name: str
    status: str
    is_current: bool
    size: int
    sha256: str
    content_type: str
    original_name: str
    pages: int | None
    issued_on: dt.date | None
    expires_on: dt.date | None
    reason: str
    created_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_type(obj: Document) -> str:
        return obj.type_id

    @staticmethod
    def resolve_type_name(obj: Document) -> str:
        return obj.type.name

    @staticmethod
    def resolve_download_url(obj: Document, context: dict[str, Any]) -> str:
        request = context.get("request")
        path = obj.get_download_url()
        return request.build_absolute_uri(path) if request is not None else path
