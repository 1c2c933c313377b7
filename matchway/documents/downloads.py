"""The one way a document's bytes leave storage, whoever decided the reader may have them.

Permission is decided by the caller and passed in as `visible`: documents' own views pass
`document_list_for_user` (owners, coordinators); rotations passes the documents a preceptor
may open for the applicants booked on their rotations. Documents imports no rotations code.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest

from matchway.core.storage import private_file_response

from .models import Document, DocumentStatus


def document_download(
    request: HttpRequest, *, pk: int, visible: QuerySet[Document]
) -> FileResponse:
    """Stream document `pk` as an attachment, audited, if it is in `visible`; 404 otherwise
    (hidden, missing and erased look the same)."""
    # An erased version (retention) has no file left: it is as gone as a hidden one.
    document = visible.exclude(status=DocumentStatus.ERASED).filter(pk=pk).first()
    if document is None:
        raise Http404
    return private_file_response(
        request,
        file=document.file,
        # The uploaded name is its owner's words; others get a neutral one (phi-guard.md).
        filename=document.name_for(request.user),
        content_type=document.content_type,
        target=document,
        action="document.downloaded",
    )
