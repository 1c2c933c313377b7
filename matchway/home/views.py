"""The role-aware pages every signed-in person lands on: home, dashboard and the audit log.

They know no domain app: each app contributes panels through `core.discovery` (its own
`dashboard.py`), and only `accounts` (roles) and `core` (audit events) are imported here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.discovery import dashboard_panels, dashboard_todos, home_panels
from matchway.core.selectors import audit_event_list


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home/home.html", {"panels": home_panels(request)})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home: an applicant's to-do list first (each app contributes
    its items), then each app's panels for the person's role."""
    role = getattr(request.user, "role", Role.APPLICANT)
    todos = dashboard_todos(request) if role == Role.APPLICANT else []
    return render(
        request,
        "home/dashboard.html",
        {"todos": todos, "panels": dashboard_panels(request), "role": role},
    )


@role_required(Role.COORDINATOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    filters = {
        "q": request.GET.get("q", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "target_type": request.GET.get("target_type", "").strip(),
        "actor": request.GET.get("actor", "").strip(),
        "since": request.GET.get("since", "").strip(),
        "until": request.GET.get("until", "").strip(),
    }
    events, errors = audit_event_list(**filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "home/audit_log.html",
        {"page": page, "filters": filters, "errors": errors, "query": query.urlencode()},
    )
