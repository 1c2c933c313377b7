"""Preceptor pages: my sessions and who is coming (names, dates, verified documents)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required

from ..selectors_pages import preceptor_sessions


@role_required(Role.PRECEPTOR)
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    past = request.GET.get("when") == "all"
    return render(
        request,
        "rotations/preceptor/session_list.html",
        {"sessions": preceptor_sessions(user=user, upcoming_only=not past), "past": past},
    )


@role_required(Role.PRECEPTOR)
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    found = preceptor_sessions(user=user, upcoming_only=False, session_id=pk)
    if not found:
        raise Http404
    return render(request, "rotations/preceptor/session_detail.html", {"item": found[0]})
