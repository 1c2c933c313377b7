"""The coordinators' capacity calendar: sessions running in a month, seats used / capacity.

Seats are counted with booking's own arithmetic (`selectors.session_list_with_seats`, the
same `seat_filter` the booking services count under the lock), in one query for the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import RotationSession, SessionStatus
from .selectors import seats_available, session_list_with_seats

# Fill levels, lowest first: (key, label, minimum share of seats used).
FILL_LEVELS = (
    ("empty", _("No bookings yet"), 0.0),
    ("some", _("Filling"), 0.01),
    ("high", _("Almost full"), 0.75),
    ("full", _("Full"), 1.0),
)


@dataclass(frozen=True)
class SessionFill:
    session: RotationSession
    used: int
    capacity: int
    free: int
    waitlisted: int
    level: str
    label: str
    percent: int


@dataclass(frozen=True)
class CapacityMonth:
    first: dt.date
    last: dt.date
    previous: dt.date
    next: dt.date
    rows: list[SessionFill]
    used: int
    capacity: int


def fill_level(used: int, capacity: int) -> tuple[str, str]:
    share = used / capacity if capacity > 0 else 1.0
    key, label = "empty", FILL_LEVELS[0][1]
    for level_key, level_label, minimum in FILL_LEVELS:
        if share >= minimum and (used > 0 or level_key == "empty"):
            key, label = level_key, level_label
    return key, str(label)


def month_start(value: str, today: dt.date) -> dt.date:
    """The first day of "YYYY-MM" (today's month when missing or malformed)."""
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def capacity_month(first: dt.date) -> CapacityMonth:
    """Sessions (not cancelled) with a day in the month of `first`, by start date."""
    days = calendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=days)
    qs = (
        RotationSession.objects.filter(start_date__lte=last, end_date__gte=first)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("rotation__site")
        .order_by("start_date", "rotation__title", "pk")
    )
    rows = []
    for session in session_list_with_seats(qs):
        used = int(session.seats_used)  # type: ignore[attr-defined]
        level, label = fill_level(used, session.capacity)
        rows.append(
            SessionFill(
                session=session,
                used=used,
                capacity=session.capacity,
                free=seats_available(session),
                waitlisted=int(session.waitlist_count),  # type: ignore[attr-defined]
                level=level,
                label=label,
                percent=min(100, round(100 * used / session.capacity)) if session.capacity else 100,
            )
        )
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return CapacityMonth(
        first=first,
        last=last,
        previous=previous,
        next=last + dt.timedelta(days=1),
        rows=rows,
        used=sum(r.used for r in rows),
        capacity=sum(r.capacity for r in rows),
    )
