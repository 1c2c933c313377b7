"""The pure helpers behind pages and exports: iCalendar."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from matchway.rotations.ics import CalendarEntry, build_calendar


def test_ics_round_trip() -> None:
    stamp = dt.datetime(2027, 1, 2, 3, 4, tzinfo=dt.UTC)
    body = build_calendar(
        [
            CalendarEntry(
                uid="application-1@example.org",
                summary="Cardiology, rotation; with ,commas",
                first_day=dt.date(2027, 3, 1),
                last_day=dt.date(2027, 3, 26),
                stamp=stamp,
                location="Main St, Brooklyn, NY",
                description="Line one\nLine two",
                url="https://example.org/a/1/",
                status="TENTATIVE",
            )
        ],
        name="My rotations",
    )
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "My rotations"
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cardiology, rotation; with ,commas"
    assert event.decoded("DTSTART") == dt.date(2027, 3, 1)
    assert event.decoded("DTEND") == dt.date(2027, 3, 27)  # exclusive end
    assert str(event["DESCRIPTION"]) == "Line one\nLine two"
    assert str(event["STATUS"]) == "TENTATIVE"


def test_ics_requires_aware_stamps() -> None:
    entry = CalendarEntry(
        uid="u",
        summary="s",
        first_day=dt.date(2027, 1, 1),
        last_day=dt.date(2027, 1, 2),
        stamp=dt.datetime(2027, 1, 1),  # noqa: DTZ001 - the point of the test
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        build_calendar([entry], name="x")
