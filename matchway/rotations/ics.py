"""iCalendar (.ics) building: a pure function from plain entries to bytes (RFC 5545).

No Django models or requests here, so the output can be unit-tested by parsing it back
with `icalendar`. Rotation days are all-day events: DTEND is exclusive, so it is the day
after the last rotation day. An entry with `starts_at` is a timed event instead (the
first-day arrival): DTSTART/DTEND in UTC, which every calendar app shows in its own zone.
TEXT values (SUMMARY, LOCATION, DESCRIPTION) are escaped and lines folded at 75 octets by
`icalendar` (RFC 5545 3.3.11 and 3.1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//Matchway//Rotations//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    summary: str
    first_day: date
    last_day: date
    stamp: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    # RFC 5545 VEVENT STATUS: TENTATIVE (seat held), CONFIRMED, CANCELLED.
    status: str = "CONFIRMED"
    # A timed event (aware instant) instead of all-day `first_day`..`last_day`.
    starts_at: datetime | None = None
    duration: timedelta = timedelta(hours=1)


def build_calendar(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    """Serialize `entries` as one VCALENDAR. `stamp` must be timezone-aware."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for entry in entries:
        if entry.stamp.tzinfo is None:
            raise ValueError("CalendarEntry.stamp must be timezone-aware.")
        event = Event()
        event.add("uid", entry.uid)
        event.add("summary", entry.summary)
        event.add("dtstamp", entry.stamp)
        event.add("last-modified", entry.stamp)
        if entry.starts_at is not None:
            if entry.starts_at.tzinfo is None:
                raise ValueError("CalendarEntry.starts_at must be timezone-aware.")
            start = entry.starts_at.astimezone(UTC)
            event.add("dtstart", start)
            event.add("dtend", start + entry.duration)
        else:
            event.add("dtstart", entry.first_day)
            event.add("dtend", entry.last_day + timedelta(days=1))
        event.add("transp", "OPAQUE")
        event.add("status", entry.status)
        if entry.location:
            event.add("location", entry.location)
        if entry.description:
            event.add("description", entry.description)
        if entry.url:
            event.add("url", entry.url)
        cal.add_component(event)
    return bytes(cal.to_ical())
