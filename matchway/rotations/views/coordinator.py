"""Coordinator workspace: sites, rotations (Markdown with preview), sessions and rosters.

Review of applications lives in `review.py`. Every view is coordinator-only (403 for other
roles); objects that do not exist answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core import clock
from matchway.core.csv_export import csv_response
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError
from matchway.core.forms import form_add_errors
from matchway.core.markdown import markdown_to_html

from ..arrival import Arrival, arrival_for
from ..forms import (
    CapacityForm,
    MarkdownPreviewForm,
    ReasonForm,
    RotationForm,
    SessionForm,
    SessionSeriesForm,
    SessionStatusForm,
    SiteForm,
)
from ..models import Rotation, RotationSession, Site, VisaLetterStatus
from ..selectors_capacity import capacity_month, month_start
from ..selectors_pages import (
    queue_counts,
    rotation_list_for_manage,
    rotation_sessions_for_manage,
    session_get_for_manage,
    session_roster,
    sessions_upcoming,
)
from ..selectors_visa import visa_letter_counts
from ..services.catalog import (
    rotation_create,
    rotation_set_published,
    rotation_update,
    site_create,
    site_update,
)
from ..services.sessions import (
    session_cancel,
    session_create,
    session_create_series,
    session_set_status,
    session_update_capacity,
)
from .common import ViewDecorator

# role_required is typed for HttpResponse; the CSV exports stream (StreamingHttpResponse).
coordinator_only = cast(ViewDecorator, role_required(Role.COORDINATOR))


@coordinator_only
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rotations/manage/workspace.html",
        {
            "counts": queue_counts(),
            "sessions": sessions_upcoming(days=60),
            "visa_requested": visa_letter_counts()[VisaLetterStatus.REQUESTED],
        },
    )


@coordinator_only
@require_GET
def capacity_calendar(request: HttpRequest) -> HttpResponse:
    """Sessions running in a month with seats used / capacity (#17)."""
    first = month_start(request.GET.get("month", ""), clock.viewer_today())
    return render(request, "rotations/manage/capacity.html", {"month": capacity_month(first)})


# --- sites ---------------------------------------------------------------------------------


@coordinator_only
@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    sites = Site.objects.select_related("state").order_by("name")
    page = Paginator(sites, 50).get_page(request.GET.get("page"))
    return render(request, "rotations/manage/site_list.html", {"page": page, "query": ""})


@coordinator_only
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = current_user(request)
    site = get_object_or_404(Site, pk=pk) if pk is not None else None
    # A copy: ModelForm validation writes the new values onto its instance, and the service
    # must see the stored ones to know what changed.
    form = SiteForm(request.POST if request.method == "POST" else None, instance=copy(site))
    if request.method == "POST" and form.is_valid():
        try:
            if site is None:
                site = site_create(actor=user, **form.cleaned_data)
                messages.success(request, _("Site added."))
            else:
                site_update(actor=user, site=site, **form.cleaned_data)
                messages.success(request, _("Site saved."))
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            return redirect("rotations:manage-sites")
    return render(
        request,
        "rotations/manage/site_form.html",
        {"form": form, "site": site},
        status=422 if request.method == "POST" else 200,
    )


# --- rotations -----------------------------------------------------------------------------


@coordinator_only
@require_GET
def rotation_list(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:100]
    page = Paginator(rotation_list_for_manage(q=q), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rotations/manage/rotation_list.html",
        {"page": page, "q": q, "query": query.urlencode()},
    )


def _rotation_kwargs(form: RotationForm) -> dict[str, Any]:
    data = form.rotation_data()
    data["preceptors"] = list(form.cleaned_data["preceptors"])
    data["required_document_types"] = list(form.cleaned_data["required_document_types"])
    return data


@coordinator_only
@require_http_methods(["GET", "POST"])
def rotation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = current_user(request)
    rotation = get_object_or_404(Rotation, pk=pk) if pk is not None else None
    form = RotationForm(request.POST if request.method == "POST" else None, instance=copy(rotation))
    if request.method == "POST" and form.is_valid():
        try:
            if rotation is None:
                rotation = rotation_create(actor=user, **_rotation_kwargs(form))
                messages.success(
                    request,
                    _("Rotation created. Add sessions, then publish it when it is ready."),
                )
            else:
                rotation_update(actor=user, rotation=rotation, **_rotation_kwargs(form))
                messages.success(request, _("Rotation saved."))
        except ApplicationError as exc:
            form_add_errors(form, exc, field_map={"deposit_cents": "deposit"})
        else:
            return redirect("rotations:manage-rotation", rotation.pk)
    description = form["description"].value() or ""
    return render(
        request,
        "rotations/manage/rotation_form.html",
        {"form": form, "rotation": rotation, "preview": markdown_to_html(str(description))},
        status=422 if request.method == "POST" else 200,
    )


@coordinator_only
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the sanitized rendering of the description being typed."""
    form = MarkdownPreviewForm(request.POST)
    text = form.cleaned_data["description"] if form.is_valid() else ""
    return render(
        request, "rotations/manage/_markdown_preview.html", {"preview": markdown_to_html(text)}
    )


def _rotation_arrival(rotation: Rotation) -> Arrival:
    # The rotation's own defaults, shown as a session without overrides would see them.
    return arrival_for(RotationSession(rotation=rotation, start_date=clock.viewer_today()))


def _rotation_manage_page(
    request: HttpRequest,
    rotation: Rotation,
    *,
    session_form: SessionForm | None = None,
    series_form: SessionSeriesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "rotations/manage/rotation_manage.html",
        {
            "rotation": rotation,
            "arrival": _rotation_arrival(rotation),
            "sessions": rotation_sessions_for_manage(rotation=rotation),
            "session_form": session_form or SessionForm(prefix="one"),
            "series_form": series_form
            or SessionSeriesForm(
                prefix="series",
                initial={
                    "first_start": clock.viewer_today(),
                    "every_weeks": rotation.weeks,
                    "count": 6,
                },
            ),
            "open_form": "one" if session_form else "series" if series_form else "",
        },
        status=status,
    )


@coordinator_only
@require_GET
def rotation_manage(request: HttpRequest, pk: int) -> HttpResponse:
    rotation = get_object_or_404(
        Rotation.objects.select_related("site", "specialty", "arrival"), pk=pk
    )
    return _rotation_manage_page(request, rotation)


@coordinator_only
@require_POST
def rotation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    rotation = get_object_or_404(Rotation, pk=pk)
    publish = request.POST.get("published") == "1"
    rotation_set_published(actor=user, rotation=rotation, published=publish)
    if publish:
        messages.success(request, _("Published: the rotation is in the catalog."))
    else:
        messages.success(request, _("Unpublished: the rotation is hidden from the catalog."))
    return redirect("rotations:manage-rotation", rotation.pk)


@coordinator_only
@require_POST
def session_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    rotation = get_object_or_404(Rotation.objects.select_related("site", "specialty"), pk=pk)
    form = SessionForm(request.POST, prefix="one")
    if form.is_valid():
        try:
            session_create(actor=user, rotation=rotation, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect("rotations:manage-rotation", rotation.pk)
    return _rotation_manage_page(request, rotation, session_form=form, status=422)


@coordinator_only
@require_POST
def session_series_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    rotation = get_object_or_404(Rotation.objects.select_related("site", "specialty"), pk=pk)
    form = SessionSeriesForm(request.POST, prefix="series")
    if form.is_valid():
        try:
            created = session_create_series(actor=user, rotation=rotation, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("%(n)s sessions added.") % {"n": len(created)})
            return redirect("rotations:manage-rotation", rotation.pk)
    return _rotation_manage_page(request, rotation, series_form=form, status=422)


# --- one session: roster, capacity, status, cancel -----------------------------------------


def _session_or_404(pk: int) -> Any:
    session = session_get_for_manage(pk=pk)
    if session is None:
        raise Http404
    return session


def _session_page(
    request: HttpRequest,
    session: Any,
    *,
    capacity_form: CapacityForm | None = None,
    status_form: SessionStatusForm | None = None,
    cancel_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "rotations/manage/session_manage.html",
        {
            "session": session,
            "rotation": session.rotation,
            "roster": session_roster(session=session),
            "arrival": arrival_for(session),
            "capacity_form": capacity_form or CapacityForm(initial={"capacity": session.capacity}),
            "status_form": status_form or SessionStatusForm(initial={"status": session.status}),
            "cancel_form": cancel_form or ReasonForm(),
        },
        status=status,
    )


@coordinator_only
@require_GET
def session_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session_or_404(pk))


@coordinator_only
@require_POST
def session_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    session = _session_or_404(pk)
    form = CapacityForm(request.POST)
    return _session_action(
        request,
        session,
        form,
        "capacity_form",
        lambda data: session_update_capacity(
            actor=user, session=session, capacity=data["capacity"]
        ),
        _("Seats updated."),
    )


@coordinator_only
@require_POST
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    session = _session_or_404(pk)
    form = SessionStatusForm(request.POST)
    return _session_action(
        request,
        session,
        form,
        "status_form",
        lambda data: session_set_status(actor=user, session=session, status=data["status"]),
        _("Session status updated."),
    )


@coordinator_only
@require_POST
def session_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    session = _session_or_404(pk)
    form = ReasonForm(request.POST)
    return _session_action(
        request,
        session,
        form,
        "cancel_form",
        lambda data: session_cancel(actor=user, session=session, reason=data["reason"]),
        _("Session cancelled. Everyone affected has been emailed."),
    )


def _session_action(
    request: HttpRequest,
    session: Any,
    form: Form,
    form_key: str,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """One session form: valid → service → message + redirect; otherwise the page again
    with the errors beside the fields (domain errors included) and what was typed kept."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("rotations:manage-session", session.pk)
    bound: dict[str, Any] = {form_key: form}
    return _session_page(request, session, status=422, **bound)


ROSTER_HEADER = [
    "application_id",
    "name",
    "email",
    "status",
    "submitted_at",
    "hold_expires_at",
    "confirmed_at",
    "deposit_due_usd",
    "paid_usd",
    "documents_verified",
    "documents_required",
    "referral_source",
]


@coordinator_only
@require_GET
def session_roster_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    session = _session_or_404(pk)
    rows = (
        [
            row.application.pk,
            row.application.applicant.full_name,
            row.application.applicant.email,
            row.application.status,
            _iso(row.application.submitted_at),
            _iso(row.application.hold_expires_at),
            _iso(row.application.confirmed_at),
            f"{row.requirements.deposit_due_cents / 100:.2f}",
            f"{row.requirements.deposit_paid_cents / 100:.2f}",
            row.verified_count,
            row.required_count,
            row.application.referral_source,
        ]
        for row in session_roster(session=session)
    )
    return csv_response(
        filename=f"roster-{session.rotation.slug}-{session.start_date:%Y-%m-%d}.csv",
        header=ROSTER_HEADER,
        rows=rows,
    )


def _iso(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""
