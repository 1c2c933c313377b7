"""The Match Week arithmetic: pure, from data, around the March daylight-saving change and
in the zones applicants live in."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import pytest

from matchway.soap import schedule

UTC = dt.UTC


def _utc(week: schedule.MatchWeek, key: str) -> dt.datetime:
    return week.event(key).starts_at.astimezone(UTC)


def test_2026_week_is_on_eastern_daylight_time() -> None:
    week = schedule.match_week("2026")
    # US daylight time began on 8 March 2026: Monday 10:00 EDT is 14:00 UTC.
    assert _utc(week, "match_status_released") == dt.datetime(2026, 3, 16, 14, 0, tzinfo=UTC)
    assert _utc(week, "applications_open") == dt.datetime(2026, 3, 16, 15, 0, tzinfo=UTC)
    assert _utc(week, "match_day") == dt.datetime(2026, 3, 20, 16, 0, tzinfo=UTC)
    assert week.event("match_day").confirmed


def test_2027_week_starts_the_day_after_the_spring_change() -> None:
    """14 March 2027 is the second Sunday of March: the Friday before is still EST (UTC-5),
    Monday is EDT (UTC-4). Adding 72 hours to Friday would be an hour wrong."""
    week = schedule.match_week("2027")
    visible = week.event("eligibility_visible")
    assert visible.all_day
    assert visible.starts_at.utcoffset() == dt.timedelta(hours=-5)
    monday = week.event("match_status_released").starts_at
    assert monday.utcoffset() == dt.timedelta(hours=-4)
    assert monday.astimezone(UTC) == dt.datetime(2027, 3, 15, 14, 0, tzinfo=UTC)
    # Friday 00:00 EST to Monday 10:00 EDT is 81 elapsed hours. Python's subtraction of two
    # datetimes in the same zone gives the wall-clock 82, so compare in UTC.
    assert monday.astimezone(UTC) - visible.starts_at.astimezone(UTC) == dt.timedelta(hours=81)
    assert monday - visible.starts_at == dt.timedelta(hours=82)  # the trap, documented
    assert not week.confirmed  # a projection


def test_adding_a_window_across_the_change_counts_elapsed_hours() -> None:
    before = schedule.eastern(dt.date(2027, 3, 14), "01:00")  # EST
    after = schedule.add(before, dt.timedelta(hours=2))
    assert after.timetuple()[:5] == (2027, 3, 14, 4, 0)  # 02:00 never happens
    assert after.astimezone(UTC) - before.astimezone(UTC) == dt.timedelta(hours=2)


def test_offer_rounds_and_their_windows() -> None:
    week = schedule.match_week("2026")
    assert [r.number for r in week.rounds] == [1, 2, 3, 4]
    first = week.rounds[0]
    assert first.starts_at == dt.datetime(2026, 3, 18, 9, 0, tzinfo=schedule.EASTERN)
    assert first.ends_at - first.starts_at == dt.timedelta(hours=2)
    assert week.event("soap_ends").starts_at == week.rounds[-1].ends_at
    assert week.event("program_review").ends_at == first.starts_at
    assert week.round_at(first.starts_at + dt.timedelta(minutes=5)) == first
    assert week.round_at(first.ends_at) is None
    keys = [e.key for e in week.events]
    assert keys.index("match_status_released") < keys.index("applications_open")
    assert keys[-1] == "match_day"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # India has no daylight time: 10:00 EDT = 19:30 IST the same day.
        ("Asia/Kolkata", (2027, 3, 15, 19, 30)),
        # The UK changes on the last Sunday of March: still GMT, 4 hours ahead (not 5).
        ("Europe/London", (2027, 3, 15, 14, 0)),
        # Sydney is on daylight time until April: Tuesday 01:00 there.
        ("Australia/Sydney", (2027, 3, 16, 1, 0)),
        # Arizona keeps standard time all year: 07:00.
        ("America/Phoenix", (2027, 3, 15, 7, 0)),
        ("Africa/Lagos", (2027, 3, 15, 15, 0)),
    ],
)
def test_monday_in_applicant_zones(zone: str, expected: tuple[int, ...]) -> None:
    week = schedule.match_week("2027")
    local, _end = week.event("match_status_released").in_zone(zoneinfo.ZoneInfo(zone))
    assert local.timetuple()[:5] == expected


def test_round_window_in_kolkata_crosses_midnight() -> None:
    week = schedule.match_week("2026")
    start, end = week.event("offer_round_3").in_zone(zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert (start.hour, start.minute, end.day, end.hour, end.minute) == (0, 30, 19, 2, 30)


def test_a_wall_time_in_the_skipped_hour_is_refused() -> None:
    with pytest.raises(schedule.ScheduleError):
        schedule.eastern(dt.date(2027, 3, 14), "02:30")


def test_seasons_current_and_previous() -> None:
    assert schedule.seasons() == ["2026", "2027"]
    december = dt.datetime(2026, 12, 3, 12, tzinfo=UTC)
    assert schedule.current_season(december) == "2027"
    assert schedule.previous_season(december) == "2026"
    during_2026 = dt.datetime(2026, 3, 18, 12, tzinfo=UTC)
    assert schedule.current_season(during_2026) == "2026"


def test_bad_data_is_refused(tmp_path: Path) -> None:
    data = json.loads(schedule.DATA_FILE.read_text())
    entry = data["seasons"]["2026"]
    entry["week_start"] = "2026-03-17"  # a Tuesday
    with pytest.raises(schedule.ScheduleError):
        schedule.build("2026", entry)
    entry = json.loads(schedule.DATA_FILE.read_text())["seasons"]["2026"]
    del entry["events"]["match_day"]
    with pytest.raises(schedule.ScheduleError):
        schedule.build("2026", entry)


def test_every_season_in_the_data_builds_and_names_its_source() -> None:
    for season in schedule.seasons():
        week = schedule.match_week(season)
        assert week.source
        assert week.week_start.weekday() == 0
        assert week.match_day.starts_at.weekday() == 4
