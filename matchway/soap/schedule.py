"""A season's Match Week computed from data: pure Python, no Django.

The data (`matchway/reference/data/match_week.json`) gives, per season, the Monday of Match
Week, each event as a day offset from that Monday and a wall-clock time in US Eastern Time,
the offer rounds' start times and window length, and whether each fact is confirmed. This
module turns that into timezone-aware instants in America/New_York (`zoneinfo`, so the March
daylight-saving change is handled by the zone database, never by adding hours) and shows
them in any other zone.

Rules (docs/dev/soap.md):
- wall-clock arithmetic happens on dates and times in Eastern Time, then is localised once;
  durations (the offer window, a drill's simulated clock) are added to aware instants;
- an event without a published time (`time: null`) is an all-day event: it starts at the
  beginning of that Eastern day and says so (`all_day`);
- a season is `confirmed` only when the data says so; every event keeps its own status.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EASTERN = zoneinfo.ZoneInfo("America/New_York")
DATA_FILE = Path(__file__).resolve().parent.parent / "reference" / "data" / "match_week.json"

LABELS = {
    "eligibility_visible": "SOAP eligibility visible in R3",
    "match_status_released": "Matched or unmatched: results in R3",
    "unfilled_list_released": "List of Unfilled Programs opens",
    "applications_open": "SOAP applications open in ERAS",
    "program_review": "Programs review applications",
    "soap_ends": "SOAP ends; final list of unfilled programs",
    "match_day": "Match Day results",
}


class ScheduleError(ValueError):
    """The data for a season is missing or malformed."""


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    confirmed: bool = False
    source: str = ""
    all_day: bool = False

    def in_zone(self, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime | None]:
        ends = self.ends_at.astimezone(zone) if self.ends_at is not None else None
        return self.starts_at.astimezone(zone), ends


@dataclass(frozen=True)
class OfferRound:
    number: int
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class MatchWeek:
    season: str
    label: str
    source: str
    confirmed: bool
    note: str
    week_start: dt.date
    offer_window: dt.timedelta
    events: tuple[Event, ...] = field(default_factory=tuple)
    rounds: tuple[OfferRound, ...] = field(default_factory=tuple)

    def event(self, key: str) -> Event:
        for event in self.events:
            if event.key == key:
                return event
        raise KeyError(key)

    @property
    def starts_at(self) -> dt.datetime:
        return self.event("match_status_released").starts_at

    @property
    def match_day(self) -> Event:
        return self.event("match_day")

    def round_at(self, instant: dt.datetime) -> OfferRound | None:
        """The offer round whose window contains `instant`, if any."""
        for round_ in self.rounds:
            if round_.starts_at <= instant < round_.ends_at:
                return round_
        return None

    def round_number(self, number: int) -> OfferRound | None:
        for round_ in self.rounds:
            if round_.number == number:
                return round_
        return None

    def applications_open_at(self, instant: dt.datetime) -> bool:
        """Applications may be recorded from ERAS's opening to the end of SOAP."""
        return (
            self.event("applications_open").starts_at <= instant < self.event("soap_ends").starts_at
        )


def eastern(day: dt.date, time: str | None) -> dt.datetime:
    """Wall-clock `time` (HH:MM) on `day` in Eastern Time, as an aware instant. A wall time
    that does not exist (the skipped hour of the spring change) is refused."""
    hours, minutes = (0, 0) if time is None else _hhmm(time)
    naive = dt.datetime.combine(day, dt.time(hours, minutes))
    aware = naive.replace(tzinfo=EASTERN)
    round_trip = aware.astimezone(dt.UTC).astimezone(EASTERN).replace(tzinfo=None)
    if round_trip != naive:
        raise ScheduleError(f"{naive:%Y-%m-%d %H:%M} does not exist in US Eastern Time")
    return aware


def add(instant: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """`instant + duration` in elapsed time. Python adds a timedelta to an aware datetime
    on the wall clock of its own zone, so the sum is taken in UTC and shown back in Eastern
    Time: two hours are two hours even across a daylight-saving change."""
    return (instant.astimezone(dt.UTC) + duration).astimezone(EASTERN)


def _hhmm(value: str) -> tuple[int, int]:
    try:
        hours, minutes = (int(part) for part in value.split(":"))
    except ValueError as exc:
        raise ScheduleError(f"bad time {value!r}") from exc
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ScheduleError(f"bad time {value!r}")
    return hours, minutes


def _day(week_start: dt.date, offset: Any) -> dt.date:
    if not isinstance(offset, int):
        raise ScheduleError(f"bad day offset {offset!r}")
    return week_start + dt.timedelta(days=offset)


def build(season: str, data: Mapping[str, Any]) -> MatchWeek:
    """The Match Week of one season from its data entry."""
    try:
        week_start = dt.date.fromisoformat(data["week_start"])
        spec = data["events"]
        window = dt.timedelta(hours=float(data["offer_window_hours"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ScheduleError(f"season {season}: {exc}") from exc
    if week_start.weekday() != 0:
        raise ScheduleError(f"season {season}: Match Week must start on a Monday")

    def simple(key: str) -> Event:
        item = spec[key]
        day = _day(week_start, item["day"])
        return Event(
            key=key,
            label=LABELS[key],
            starts_at=eastern(day, item.get("time")),
            confirmed=bool(item.get("confirmed")),
            source=str(item.get("source") or ""),
            all_day=item.get("time") is None,
        )

    try:
        visible = simple("eligibility_visible")
        status = simple("match_status_released")
        unfilled = simple("unfilled_list_released")
        opens = simple("applications_open")
        match_day = simple("match_day")
        round_spec = spec["offer_rounds"]
        starts = sorted(eastern(_day(week_start, d), t) for d, t in round_spec["starts"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ScheduleError(f"season {season}: {exc}") from exc
    if not starts:
        raise ScheduleError(f"season {season}: no offer rounds")
    rounds_confirmed = bool(round_spec.get("confirmed"))
    rounds_source = str(round_spec.get("source") or "")
    rounds = tuple(
        OfferRound(number=i, starts_at=start, ends_at=add(start, window))
        for i, start in enumerate(starts, start=1)
    )
    review = Event(
        key="program_review",
        label=LABELS["program_review"],
        starts_at=opens.starts_at,
        ends_at=rounds[0].starts_at,
        confirmed=opens.confirmed and rounds_confirmed,
        source=rounds_source,
    )
    round_events = [
        Event(
            key=f"offer_round_{r.number}",
            label=f"Offer round {r.number} (window to accept or decline)",
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            confirmed=rounds_confirmed,
            source=rounds_source,
        )
        for r in rounds
    ]
    ends = Event(
        key="soap_ends",
        label=LABELS["soap_ends"],
        starts_at=rounds[-1].ends_at,
        confirmed=rounds_confirmed,
        source=rounds_source,
    )
    events = sorted(
        [visible, status, unfilled, opens, review, *round_events, ends, match_day],
        key=lambda e: (e.starts_at, e.key != "match_status_released"),
    )
    return MatchWeek(
        season=season,
        label=str(data.get("season") or season),
        source=str(data.get("source") or ""),
        confirmed=bool(data.get("confirmed")),
        note=str(data.get("note") or ""),
        week_start=week_start,
        offer_window=window,
        events=tuple(events),
        rounds=rounds,
    )


def load(path: Path | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
    seasons = data.get("seasons")
    if not isinstance(seasons, dict):
        raise ScheduleError("no seasons in the data")
    return seasons


def seasons(path: Path | None = None) -> list[str]:
    return sorted(load(path))


def match_week(season: str, path: Path | None = None) -> MatchWeek:
    entries = load(path)
    if season not in entries:
        raise ScheduleError(f"no data for season {season}")
    return build(season, entries[season])


def current_season(at: dt.datetime, path: Path | None = None) -> str:
    """The season whose Match Day (end of that day in Eastern Time) is still ahead at `at`;
    the newest season when every week in the data is past."""
    names = seasons(path)
    for name in names:
        week = match_week(name, path)
        if at.astimezone(EASTERN).date() <= week.match_day.starts_at.date():
            return name
    return names[-1]


def previous_season(at: dt.datetime, path: Path | None = None) -> str:
    """The newest season whose Match Week is over at `at` (a drill replays it); the oldest
    season in the data when none is over yet."""
    names = seasons(path)
    past = [n for n in names if match_week(n, path).match_day.starts_at < at]
    return past[-1] if past else names[0]
