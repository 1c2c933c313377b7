"""Coordinators' pages: the requests they may see, and letters routed to them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required

from ..selectors import letter_request_list, letter_request_views
from .common import letter_file_response


@role_required(Role.COORDINATOR)
def coordinator_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = Paginator(letter_request_list(viewer=user), 50).get_page(request.GET.get("page"))
    items = letter_request_views(viewer=user, requests=list(page.object_list))
    return render(request, "letters/coordinator_list.html", {"page": page, "items": items})


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return letter_file_response(request, user=user, pk=pk)
