from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from matchway.accounts.auth import current_user
from matchway.core.storage import private_file_response

from .selectors import document_get_for_user


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    user = current_user(request)
    document = document_get_for_user(user=user, pk=pk)
    if document is None:
        raise Http404
    return private_file_response(
        request,
        file=document.file,
        filename=document.original_name,
        content_type=document.content_type,
        target=document,
        action="document.downloaded",
    )
