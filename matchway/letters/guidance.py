"""Timing guidance for the composer (pure: dates in, advice out).

The advice follows the guide "asking-for-letters-of-recommendation": ask in person in the
second half of the rotation (around week 3 of 4), give the writer about a month, follow up
by email with the deadline and materials.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import conf


@dataclass(frozen=True)
class Guidance:
    # "early": the rotation is in its first half (or has not started): wait until best_ask_on.
    # "now": second half or just finished: a good time to ask.
    # "after": finished more than a few weeks ago: ask soon, while they remember you.
    # "": no rotation (outside writer).
    timing: str
    best_ask_on: date | None
    rotation_week: int | None
    rotation_weeks: int | None
    short_notice: bool
    days_to_due: int | None


def best_ask_date(start: date, end: date) -> date:
    """The first day of the rotation's second half (day 15 of a 4-week rotation)."""
    length = (end - start).days + 1
    return start + timedelta(days=length // 2)


def compose_guidance(
    *, start: date | None, end: date | None, due_date: date | None, today: date
) -> Guidance:
    timing = ""
    best: date | None = None
    week: int | None = None
    weeks: int | None = None
    if start is not None and end is not None:
        best = best_ask_date(start, end)
        weeks = max(1, round(((end - start).days + 1) / 7))
        if today < best:
            timing = "early"
        elif today <= end + timedelta(days=14):
            timing = "now"
        else:
            timing = "after"
        if start <= today <= end:
            week = (today - start).days // 7 + 1
    days_to_due = (due_date - today).days if due_date is not None else None
    short = days_to_due is not None and days_to_due < conf.min_lead().days
    return Guidance(
        timing=timing,
        best_ask_on=best if timing == "early" else None,
        rotation_week=week,
        rotation_weeks=weeks,
        short_notice=short,
        days_to_due=days_to_due,
    )
