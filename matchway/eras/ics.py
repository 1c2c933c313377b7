"""Interviews as iCalendar events (RFC 5545): one VEVENT per interview, DTSTART/DTEND in UTC
(every calendar app shows them in its own zone; the program's zone is in the text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from icalendar import Calendar, Event

from .models import Interview
from .services.interviews import ends_at

PRODID = "-//Matchway//ERAS interviews//EN"


def interview_event(interview: Interview, *, host: str, url: str = "") -> dict[str, Any]:
    """The interview as plain event fields (also what the calendar-feed hook returns)."""
    program = interview.target.program
    zone_time = interview.starts_at.astimezone(_zone(interview.timezone))
    lines = [
        f"Interview with {program.name} ({interview.get_format_display()}).",
        f"Program's time: {zone_time:%Y-%m-%d %H:%M} {interview.timezone}.",
    ]
    if interview.thank_you_due_on:
        lines.append(f"Thank-you note due {interview.thank_you_due_on:%Y-%m-%d}.")
    location = interview.link if interview.format == "virtual" else ""
    if interview.format != "virtual":
        location = ", ".join(p for p in (program.city, program.state) if p)
    return {
        "uid": f"eras-interview-{interview.pk}@{host}",
        "summary": f"Interview: {program.name}",
        "starts_at": interview.starts_at,
        "duration": dt.timedelta(minutes=interview.duration_minutes),
        "first_day": interview.starts_at.date(),
        "last_day": ends_at(interview).date(),
        "stamp": interview.updated_at,
        "location": location,
        "description": "\n".join(lines),
        "url": interview.link or url,
        "status": "CONFIRMED",
    }


def _zone(name: str) -> dt.tzinfo:
    from matchway.core import clock

    return clock.zone(name)


def build_interviews_calendar(events: Iterable[dict[str, Any]], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in events:
        event = Event()
        start = item["starts_at"].astimezone(dt.UTC)
        event.add("uid", item["uid"])
        event.add("summary", item["summary"])
        event.add("dtstamp", item["stamp"])
        event.add("dtstart", start)
        event.add("dtend", start + item["duration"])
        event.add("status", item["status"])
        if item["location"]:
            event.add("location", item["location"])
        if item["description"]:
            event.add("description", item["description"])
        if item["url"]:
            event.add("url", item["url"])
        cal.add_component(event)
    return bytes(cal.to_ical())
