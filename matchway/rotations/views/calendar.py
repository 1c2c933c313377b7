"""Calendar exports: one application's .ics, the private feed and its token page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.discovery import calendar_events
from matchway.core.links import absolute_url, site_host
from matchway.core.templatetags.when import format_when

from ..arrival import arrival_calendar_text, arrival_for, arrival_visible
from ..ics import CalendarEntry, build_calendar
from ..models import Application, ApplicationStatus
from ..selectors_pages import CALENDAR_STATUSES, application_overview_get, calendar_applications
from ..services.calendar import (
    calendar_feed_create,
    calendar_feed_current,
    calendar_feed_resolve,
    calendar_feed_revoke,
)


def _entries(applications: Iterable[Application]) -> list[CalendarEntry]:
    host = site_host() or "matchway"
    entries = []
    for application in applications:
        session = application.session
        rotation = session.rotation
        site = rotation.site
        held = application.status == ApplicationStatus.ACCEPTED
        if site.kind == "virtual":
            location = _("%(site)s (online)") % {"site": site.name}
        else:
            parts = [site.name, site.address, site.city, site.state_id or ""]
            location = ", ".join(p for p in parts if p)
        description = _("Status: %(status)s.") % {"status": application.get_status_display()}
        if held and application.hold_expires_at:
            description += " " + _("Seat held until %(when)s; confirm before then.") % {
                "when": format_when(application.hold_expires_at, application.applicant.timezone)
            }
        url = absolute_url("rotations:application", application.pk)
        arrival = arrival_for(session) if arrival_visible(application) else None
        if arrival is not None and not arrival.is_empty:
            if arrival.meeting_place:
                location = f"{arrival.meeting_place}, {location}"
            description += "\n\n" + arrival_calendar_text(arrival)
        entry = CalendarEntry(
            uid=f"application-{application.pk}@{host}",
            summary=_("%(title)s rotation") % {"title": rotation.title},
            first_day=session.start_date,
            last_day=session.end_date,
            stamp=application.updated_at,
            location=location,
            description=description,
            url=url,
            status="TENTATIVE" if held else "CONFIRMED",
        )
        entries.append(entry)
        if arrival is not None and arrival.first_day_at is not None:
            # The rotation stays an all-day span; the arrival is its own timed event so
            # calendar apps alert at the right hour in the applicant's zone.
            entries.append(
                replace(
                    entry,
                    uid=f"application-{application.pk}-arrival@{host}",
                    summary=_("First day: %(title)s") % {"title": rotation.title},
                    starts_at=arrival.first_day_at,
                )
            )
    return entries


def _ics_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.APPLICANT)
@require_GET
def application_ics(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    overview = application_overview_get(user=user, pk=pk)
    if overview is None or overview.application.status not in CALENDAR_STATUSES:
        raise Http404
    body = build_calendar(_entries([overview.application]), name=settings.SITE_NAME)
    return _ics_response(body, filename=f"rotation-{pk}.ics", attachment=True)


@role_required(Role.APPLICANT)
@never_cache
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    new_url = None
    if request.method == "POST":
        raw, _feed = calendar_feed_create(actor=user)
        new_url = absolute_url("calendar:feed", raw)
        messages.success(
            request, _("Your new calendar link is ready. Any earlier link stopped working.")
        )
    return render(
        request,
        "rotations/calendarfeed_detail.html",
        {
            "feed": calendar_feed_current(user=user),
            "new_url": new_url,
            "applications": calendar_applications(user=user),
        },
    )


@role_required(Role.APPLICANT)
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if calendar_feed_revoke(actor=user):
        messages.success(request, _("Your calendar link no longer works."))
    return redirect("rotations:calendar")


@require_GET
@never_cache
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed calendar apps poll. Any bad token gets the same plain 404."""
    user = calendar_feed_resolve(token)
    if user is None:
        raise Http404
    # Other apps' timed events (ERAS interviews) join through the discovery hook.
    others = [CalendarEntry(**event) for event in calendar_events(user, exclude={"rotations"})]
    body = build_calendar(
        [*_entries(calendar_applications(user=user)), *others],
        name=_("%(site)s rotations") % {"site": settings.SITE_NAME},
    )
    return _ics_response(body, filename="rotations.ics", attachment=False)
