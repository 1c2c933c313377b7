"""Private file storage and the only way files leave it. See docs/dev/private-files.md.

Files live under PRIVATE_MEDIA_ROOT, outside STATIC_ROOT and with no public URL. Every
download goes through a view that checks permission (404 when hidden), streams the file
as an attachment with nosniff, and writes an audit event.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.utils.deconstruct import deconstructible

from .audit import audit_record


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @property
    def location(self) -> str:  # type: ignore[override]
        # Read the setting lazily so tests (and xdist workers) can point it elsewhere.
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL; serve them through a view.")


def private_file_storage() -> PrivateFileSystemStorage:
    """The private file-system storage as a callable for `FileField(storage=...)` (and the
    migrations that reference it)."""
    return PrivateFileSystemStorage()


def private_storage() -> Any:
    return storages["private"]


def private_file_response(
    request: HttpRequest,
    *,
    file: FieldFile,
    filename: str,
    content_type: str,
    target: models.Model,
    action: str,
    inline: bool = False,
) -> FileResponse:
    """Stream a private file after the caller has checked permission, and audit it.

    The audit event names the target, never `filename`: an uploaded file's name is free
    text its author typed, and the audit log is read by staff (docs/dev/phi-guard.md).
    """
    audit_record(
        actor=request.user,
        action=action,
        target=target,
        data={"inline": inline},
        request=request,
    )
    handle = file.open("rb")
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
