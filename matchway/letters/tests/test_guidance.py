"""Timing advice is pure date arithmetic: no database."""

from __future__ import annotations

import datetime as dt

from matchway.letters.guidance import best_ask_date, compose_guidance

START = dt.date(2026, 3, 2)
END = START + dt.timedelta(days=27)  # a 4-week rotation


def test_best_moment_is_week_three_of_four() -> None:
    best = best_ask_date(START, END)
    assert best == START + dt.timedelta(days=14)
    assert (best - START).days // 7 + 1 == 3


def test_first_half_waits_and_names_the_day() -> None:
    g = compose_guidance(start=START, end=END, due_date=None, today=START + dt.timedelta(days=3))
    assert g.timing == "early"
    assert g.best_ask_on == START + dt.timedelta(days=14)
    assert g.rotation_week == 1
    assert g.rotation_weeks == 4


def test_second_half_and_just_after_is_now() -> None:
    for offset in (14, 27, 27 + 14):
        g = compose_guidance(
            start=START, end=END, due_date=None, today=START + dt.timedelta(days=offset)
        )
        assert g.timing == "now", offset
        assert g.best_ask_on is None
    later = compose_guidance(start=START, end=END, due_date=None, today=END + dt.timedelta(days=30))
    assert later.timing == "after"


def test_short_notice_below_four_weeks() -> None:
    today = dt.date(2026, 6, 1)
    short = compose_guidance(
        start=None, end=None, due_date=today + dt.timedelta(days=27), today=today
    )
    assert short.short_notice
    assert short.days_to_due == 27
    enough = compose_guidance(
        start=None, end=None, due_date=today + dt.timedelta(days=28), today=today
    )
    assert not enough.short_notice
    assert compose_guidance(start=None, end=None, due_date=None, today=today).timing == ""
