from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from matchway.accounts.models import Role

from .decorators import role_required
from .discovery import app_modules
from .selectors import audit_event_list

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": _home_panels(request)})


def _home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = []
    for module in app_modules("dashboard"):
        fn = getattr(module, "home_panels", None)
        if fn is not None:
            panels.extend(fn(request))
    return panels


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness plus database check. Also the "trivial view" benchmarks compare against."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any DB failure means "not ready"; details go to the log only
        logger.exception("healthz: database check failed")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home: each app contributes panels for the person's role."""
    panels: list[dict[str, Any]] = []
    for module in app_modules("dashboard"):
        fn = getattr(module, "panels", None)
        if fn is not None:
            panels.extend(fn(request))
    panels.sort(key=lambda p: p.get("order", 100))
    role = getattr(request.user, "role", Role.APPLICANT)
    return render(request, "core/dashboard.html", {"panels": panels, "role": role})


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
        "core/audit_log.html",
        {"page": page, "filters": filters, "errors": errors, "query": query.urlencode()},
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again: a plain template with no DB access.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
