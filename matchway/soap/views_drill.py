"""Drill controls and the week's exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.accounts.models import User
from matchway.core.audit import audit_record
from matchway.core.exceptions import ApplicationError

from . import drill as drills
from . import exports
from .models import SoapWeek
from .views import applicant_week


@require_POST
@applicant_week
def drill_start(request: HttpRequest, user: User, week: SoapWeek | None, drill: bool = True) -> Any:
    raw = request.POST.get("speed", "")
    try:
        drills.drill_start(actor=user, speed=int(raw) if raw.isdigit() else 0)
        messages.success(
            request,
            _("Drill started. The list is fictitious; nothing here touches your real week."),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("soap:drill")


@require_POST
@applicant_week
def drill_advance(request: HttpRequest, user: User, week: SoapWeek, drill: bool = True) -> Any:
    try:
        drills.drill_advance(actor=user, week=week)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "soap:drill")


@require_POST
@applicant_week
def drill_finish(request: HttpRequest, user: User, week: SoapWeek, drill: bool = True) -> Any:
    drills.drill_finish(actor=user, week=week)
    messages.success(request, _("Drill finished. Export it or start a new one."))
    return redirect("soap:drill")


@applicant_week
def export(
    request: HttpRequest, user: User, week: SoapWeek, fmt: str, drill: bool = False
) -> HttpResponseBase:
    if fmt not in ("csv", "pdf"):
        raise Http404
    audit_record(actor=user, action="soap_week.exported", target=week, data={"format": fmt})
    name = f"match-week-{week.season}{'-drill' if week.is_drill else ''}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.week_csv(week, user.timezone), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.week_pdf(week, user.timezone, applicant=user.full_name or user.email),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
