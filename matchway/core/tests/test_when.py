"""`|when`: one format for every instant shown, in the viewer's zone (issue #17)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone as dj_timezone

from matchway.core.templatetags.when import format_when

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
INSTANT = dt.datetime(2026, 12, 5, 23, 0, tzinfo=dt.UTC)  # Sat 5 Dec, 18:00 in New York


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_one_format_with_the_zone_in_the_active_zone() -> None:
    with dj_timezone.override("America/New_York"):
        assert format_when(INSTANT) == "Sat 5 Dec, 18:00 EST"
    with dj_timezone.override("Asia/Kolkata"):
        assert format_when(INSTANT) == "Sun 6 Dec, 04:30 IST"


def test_other_years_carry_the_year() -> None:
    later = INSTANT.replace(year=2027, month=7)
    with dj_timezone.override("America/New_York"):
        assert format_when(later) == "Mon 5 Jul 2027, 19:00 EDT"


def test_filter_is_a_builtin_and_takes_a_zone() -> None:
    template = Template("{{ t|when }} / {{ t|when:'America/Los_Angeles' }} / {{ none|when }}")
    with dj_timezone.override("America/New_York"):
        html = template.render(Context({"t": INSTANT, "none": None}))
    assert html == "Sat 5 Dec, 18:00 EST / Sat 5 Dec, 15:00 PST / "


def test_unknown_zone_falls_back_to_the_active_zone() -> None:
    with dj_timezone.override("America/New_York"):
        assert format_when(INSTANT, "Not/AZone") == "Sat 5 Dec, 18:00 EST"
