"""Arrival logistics reads: merge a rotation's defaults with a session's overrides, decide who
may see them, and render the plain-text summary used by calendars.

`arrival_for(session)` is the one read path (the pages, emails, the .ics builder and the
reminder job use it). Merging is field by field: a session value that is set (non-blank
text, non-null time) wins, otherwise the rotation's value is used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from matchway.core import clock
from matchway.core.templatetags.when import format_when

from .models import ARRIVAL_FIELDS, Application, ApplicationStatus, RotationSession

# Only a confirmed seat (or a rotation under way) sees the arrival details: badge and EHR
# steps are not for people who may never come.
ARRIVAL_VISIBLE_STATUSES = (ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROGRESS)
# Before confirmation the page says the details will appear (live, not yet confirmed).
ARRIVAL_PENDING_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.ACCEPTED,
)
TEXT_FIELDS = tuple(f for f in ARRIVAL_FIELDS if f != "first_day_time")


@dataclass(frozen=True)
class Arrival:
    """The merged arrival information of one session (what applicants are told)."""

    start_date: dt.date
    site_zone: str
    first_day_time: dt.time | None = None
    meeting_place: str = ""
    ask_for: str = ""
    dress_code: str = ""
    what_to_bring: str = ""
    parking_transit: str = ""
    housing: str = ""
    site_contact: str = ""
    access_steps: str = ""
    # Which fields came from the session's overrides (for the coordinator's page).
    overridden: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return self.first_day_time is None and not any(getattr(self, f) for f in TEXT_FIELDS)

    @property
    def first_day_at(self) -> dt.datetime | None:
        """The aware instant of the first-day arrival (wall time in the site's zone)."""
        if self.first_day_time is None:
            return None
        return dt.datetime.combine(
            self.start_date, self.first_day_time, tzinfo=clock.zone(self.site_zone)
        )

    def first_day_labels(self, viewer_zone: str | None) -> tuple[str, str]:
        """(time at the site, time in the viewer's zone or "" when the zones agree)."""
        at = self.first_day_at
        if at is None:
            return "", ""
        site_label = _format(at)
        viewer = clock.zone(viewer_zone)
        local = at.astimezone(viewer)
        if local.utcoffset() == at.utcoffset() and local.tzname() == at.tzname():
            return site_label, ""
        return site_label, _format(local)


def _format(instant: dt.datetime) -> str:
    # "Mon 15 Mar, 08:00 EDT" (`|when`'s format, in the instant's own zone): the date too,
    # since another zone may be a day apart.
    return format_when(instant, getattr(instant.tzinfo, "key", ""))


def _row(owner: Any) -> Any:
    try:
        return owner.arrival
    except ObjectDoesNotExist:
        return None


def arrival_for(session: RotationSession) -> Arrival:
    """The merged arrival information for `session` (at most two queries, none if cached)."""
    rotation = session.rotation
    base = _row(rotation)
    override = _row(session)
    values: dict[str, Any] = {}
    overridden = set()
    for name in ARRIVAL_FIELDS:
        own = getattr(override, name, None) if override is not None else None
        if own not in (None, ""):
            values[name] = own
            overridden.add(name)
        else:
            fallback = getattr(base, name, None) if base is not None else None
            empty = None if name == "first_day_time" else ""
            values[name] = fallback if fallback is not None else empty
    return Arrival(
        start_date=session.start_date,
        site_zone=rotation.site.timezone,
        overridden=frozenset(overridden),
        **values,
    )


def arrival_visible(application: Application) -> bool:
    return application.status in ARRIVAL_VISIBLE_STATUSES


def arrival_calendar_text(arrival: Arrival, *, page_url: str = "") -> str:
    """Plain text for an .ics DESCRIPTION (icalendar escapes and folds it per RFC 5545).

    Badge and EHR steps are left out on purpose: calendar events are copied into
    third-party calendars and shared; the application page has them.
    """
    lines = []
    site_time, _viewer = arrival.first_day_labels(arrival.site_zone)
    labelled = (
        (_("First day"), site_time),
        (_("Where"), arrival.meeting_place),
        (_("Ask for"), arrival.ask_for),
        (_("Dress code"), arrival.dress_code),
        (_("Bring"), arrival.what_to_bring),
        (_("Parking and transit"), arrival.parking_transit),
        (_("Housing"), arrival.housing),
        (_("Site contact"), arrival.site_contact),
    )
    for label, value in labelled:
        if value:
            lines.append(f"{label}: {value}")
    if arrival.access_steps:
        lines.append(_("Badge and EHR access steps: see your application page."))
    if page_url:
        lines.append(page_url)
    return "\n".join(lines)


@dataclass(frozen=True)
class ArrivalPanel:
    """What the applicant's page shows: details (confirmed) or a note (still pending)."""

    visible: bool
    arrival: Arrival | None = None
    site_time: str = ""
    your_time: str = ""


def arrival_panel(application: Application, *, viewer_zone: str | None) -> ArrivalPanel | None:
    """The panel for the application's own applicant; None when nothing is to be shown
    (the application is closed). The caller has already checked ownership."""
    if application.status in ARRIVAL_PENDING_STATUSES:
        return ArrivalPanel(visible=False)
    if not arrival_visible(application):
        return None
    arrival = arrival_for(application.session)
    site_time, your_time = arrival.first_day_labels(viewer_zone)
    return ArrivalPanel(visible=True, arrival=arrival, site_time=site_time, your_time=your_time)
