"""Preceptor pages: my sessions and who is coming (names, dates, verified documents)."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core import clock
from matchway.core.decorators import role_required
from matchway.documents.downloads import document_download as stream_document

from ..selectors import document_list_for_preceptor
from ..selectors_pages import preceptor_sessions
from .common import ViewDecorator

SOON_DAYS = 60


@role_required(Role.PRECEPTOR)
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    """By default: sessions someone is coming to, or starting within SOON_DAYS days."""
    user = current_user(request)
    show_all = request.GET.get("when") == "all"
    items = preceptor_sessions(user=user, upcoming_only=not show_all)
    if not show_all:
        soon = clock.viewer_today() + timedelta(days=SOON_DAYS)
        items = [i for i in items if i.people or i.session.start_date <= soon]
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    query = "when=all" if show_all else ""
    return render(
        request,
        "rotations/preceptor/session_list.html",
        {"page": page, "sessions": page.object_list, "past": show_all, "query": query},
    )


@role_required(Role.PRECEPTOR)
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    found = preceptor_sessions(user=user, upcoming_only=False, session_id=pk)
    if not found:
        raise Http404
    return render(request, "rotations/preceptor/session_detail.html", {"item": found[0]})


# role_required is typed for HttpResponse; a download streams (FileResponse).
preceptor_only = cast(ViewDecorator, role_required(Role.PRECEPTOR))


@preceptor_only
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A required document of an applicant booked on one of my rotations (404 otherwise);
    audited and streamed by documents, which leaves the decision to rotations."""
    visible = document_list_for_preceptor(user=current_user(request))
    return stream_document(request, pk=pk, visible=visible)
