"""The one way a document's bytes leave storage, whoever decided the reader may have them.

Permission is decided by the caller and passed in as `visible`: documents' own views pass
`document_list_for_user` (owners, coordinators); rotations passes the documents a preceptor
may open for the applicants booked on their rotations. Documents imports no rotations code.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from matchway.core.storage import private_file_response

from .models import Document, DocumentStatus

# What a browser may show in place (issue #17, the coordinator's inline preview).
PREVIEWABLE_CONTENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")
# The preview is a document of its own: no script, no network, no forms, no plugins beyond
# the browser's viewer; only this site may frame it (X-Frame-Options SAMEORIGIN on the view).
PREVIEW_CONTENT_SECURITY_POLICY = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'"
)


def document_download(
    request: HttpRequest, *, pk: int, visible: QuerySet[Document], inline: bool = False
) -> HttpResponseBase:
    """Stream document `pk` as an attachment, audited, if it is in `visible`; 404 otherwise
    (hidden, missing and erased look the same).

    `inline=True` (the caller decided the reader may preview it) serves PDFs and images with
    `Content-Disposition: inline` and the preview's sandboxing policy; other types are 404.
    """
    # An erased version (retention) has no file left: it is as gone as a hidden one.
    document = visible.exclude(status=DocumentStatus.ERASED).filter(pk=pk).first()
    if document is None or (inline and document.content_type not in PREVIEWABLE_CONTENT_TYPES):
        raise Http404
    response = private_file_response(
        request,
        file=document.file,
        # The uploaded name is its owner's words; others get a neutral one (phi-guard.md).
        filename=document.name_for(request.user),
        content_type=document.content_type,
        target=document,
        action="document.downloaded",
        inline=inline,
    )
    if inline:
        response["Content-Security-Policy"] = PREVIEW_CONTENT_SECURITY_POLICY
    return response
