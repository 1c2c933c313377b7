"""The coordinators' people page: everyone by role, search, deactivate and reactivate (#17).

Inviting preceptors and coordinators stays on the invitations page (`accounts:invitations`),
which this page links to.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.core.decorators import role_required
from matchway.core.exceptions import InvalidTransition

from ..auth import current_user
from ..models import Role, User
from ..selectors import people_list
from ..services import account_deactivate, account_reactivate

PAGE_SIZE = 25


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list the coordinator came from (its filters and page), else the list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("accounts:people")


@role_required(Role.COORDINATOR)
def people(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    status = request.GET.get("status", "")
    if status not in ("active", "inactive"):
        status = ""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(people_list(role=role, q=q, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    roles = [
        ("", _("Everyone")),
        (Role.APPLICANT, _("Applicants")),
        (Role.PRECEPTOR, _("Preceptors")),
        (Role.COORDINATOR, _("Coordinators")),
    ]
    return render(
        request,
        "accounts/people_list.html",
        {
            "page": page,
            "filters": {"role": role, "q": q, "status": status},
            "roles": roles,
            "statuses": [
                ("", _("Any status")),
                ("active", _("Active")),
                ("inactive", _("Deactivated")),
            ],
            "here": request.get_full_path(),
        },
    )


@role_required(Role.COORDINATOR)
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirm step. POST: deactivate (never one's own account)."""
    person = get_object_or_404(User, pk=pk)
    actor = current_user(request)
    if request.method == "POST":
        try:
            account_deactivate(actor=actor, user=person)
        except InvalidTransition as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is deactivated: they cannot sign in and their API tokens stop working.")
                % {"name": person},
            )
        return _back(request)
    return render(
        request,
        "accounts/person_deactivate.html",
        {
            "person": person,
            "is_self": person.pk == actor.pk,
            "next": request.GET.get("next", ""),
        },
    )


@require_POST
@role_required(Role.COORDINATOR)
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    account_reactivate(actor=current_user(request), user=person)
    messages.success(request, _("%(name)s can sign in again.") % {"name": person})
    return _back(request)
