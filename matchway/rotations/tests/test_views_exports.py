"""The pure helpers behind pages and exports: Markdown, iCalendar, CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from matchway.rotations.csv_export import csv_lines, safe_cell
from matchway.rotations.ics import CalendarEntry, build_calendar
from matchway.rotations.markdown import markdown_excerpt, markdown_to_html


@pytest.mark.parametrize(
    ("source", "must_not_contain"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[x](javascript:alert(1))", 'href="javascript'),
        ('<a href="http://x" onclick="y()">x</a>', '"y()">'),
        ("![img](http://evil/x.png)", "<img"),
        ("<iframe src=//evil></iframe>", "<iframe"),
        ('<div style="background:url(x)">x</div>', "<div"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
    ],
)
def test_markdown_is_sanitized(source: str, must_not_contain: str) -> None:
    assert must_not_contain not in markdown_to_html(source)


def test_markdown_keeps_formatting_and_marks_links() -> None:
    html = markdown_to_html(
        "# Title\n\n- **a**\n- [site](https://example.org)\n\n| x |\n|---|\n| 1 |"
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>a</strong>" in html
    assert 'rel="noopener noreferrer"' in html
    assert "<table>" in html


def test_markdown_excerpt_is_plain_text() -> None:
    assert markdown_excerpt("# Hi\n\n**Bold** words " * 20, 40).endswith("…")
    assert "<" not in markdown_excerpt("<b>x</b> **y**")
    assert markdown_to_html("   ") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (42, "42"),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_csv_lines_neutralise_every_cell() -> None:
    body = "".join(csv_lines(["=h"], [["=a", "ok"]]))
    assert body.startswith("\ufeff'=h")
    assert "'=a,ok" in body


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
