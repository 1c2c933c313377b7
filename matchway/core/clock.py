"""The one clock: the only module that asks the system what time or day it is.

Everything else calls these functions (a ruff banned-api rule enforces it), so tests move
time with time-machine and the answer is the same everywhere. Which date applies to which
rule is written down in docs/dev/time.md; in short:

- `now()` — an aware instant (UTC). Holds, tokens, timestamps.
- `site_today(site)` — the calendar date where the rotation happens. Session deadlines, start
  and end, attendance days, completion.
- `provider_today()` — the provider's own date (``settings.TIME_ZONE``). Organisation-wide
  rules that belong to no single site: document expiry, letter due dates, reminders.
- `eastern_today()` — the date in US Eastern Time, in which ERAS and NRMP publish their dates.
- `viewer_today()` — the date in the zone the current request is shown in. Display only
  (pre-filled form values, "today" highlights); never a rule.
- `local_today_q(field, lookup, zone_field=)` — "`field` compared with today *where the row
  is*", as one `Q` for a query over rows in many zones (the catalog, upcoming lists).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections import defaultdict
from typing import Protocol

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

EASTERN = zoneinfo.ZoneInfo("America/New_York")


class HasTimezone(Protocol):
    timezone: str


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return timezone.now()


def zone(name: str | dt.tzinfo | None) -> dt.tzinfo:
    """A tzinfo for a zone name; the provider's zone for an empty or unknown name."""
    if isinstance(name, dt.tzinfo):
        return name
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def today_in(name: str | dt.tzinfo | None, *, at: dt.datetime | None = None) -> dt.date:
    """The calendar date in a zone at `at` (default: now)."""
    instant = at if at is not None else now()
    return instant.astimezone(zone(name)).date()


def site_today(site: HasTimezone) -> dt.date:
    """Today where the rotation site is (its own time zone)."""
    return today_in(site.timezone)


def provider_today() -> dt.date:
    """Today for the provider (``settings.TIME_ZONE``), for rules tied to no single site."""
    return today_in(settings.TIME_ZONE)


def eastern_today() -> dt.date:
    """Today in US Eastern Time: the zone of every ERAS and NRMP date."""
    return today_in(EASTERN)


def viewer_today() -> dt.date:
    """Today in the zone the current request is displayed in. For display only."""
    return today_in(timezone.get_current_timezone())


def local_date(instant: dt.datetime, name: str | dt.tzinfo | None) -> dt.date:
    """The calendar date of an instant in a zone (e.g. the site-local day of a timestamp)."""
    return instant.astimezone(zone(name)).date()


def start_of_day(day: dt.date, name: str | dt.tzinfo | None) -> dt.datetime:
    """The aware instant a calendar day begins in a zone (DST-safe)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone(name))


def end_of_day(day: dt.date, name: str | dt.tzinfo | None) -> dt.datetime:
    """The last representable instant of a calendar day in a zone."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=zone(name))


@functools.cache
def _all_zones() -> tuple[tuple[str, zoneinfo.ZoneInfo], ...]:
    # Held here: ZoneInfo's own cache keeps only a few unreferenced zones alive.
    return tuple((name, zoneinfo.ZoneInfo(name)) for name in sorted(zoneinfo.available_timezones()))


def zones_by_date(*, at: dt.datetime | None = None) -> dict[dt.date, list[str]]:
    """Every zone name, grouped by its calendar date at `at` (default now): two or three dates."""
    instant = at if at is not None else now()
    # Every zone's offset today is a whole number of minutes, so the grouping only changes
    # on a minute boundary: computed once per minute (600 zones), not once per query.
    minute = instant.astimezone(dt.UTC).replace(second=0, microsecond=0)
    return {day: list(names) for day, names in _zones_by_date_at(minute).items()}


@functools.lru_cache(maxsize=8)
def _zones_by_date_at(minute: dt.datetime) -> dict[dt.date, tuple[str, ...]]:
    groups: dict[dt.date, list[str]] = defaultdict(list)
    for name, tz in _all_zones():
        groups[minute.astimezone(tz).date()].append(name)
    return {day: tuple(names) for day, names in groups.items()}


def local_today_q(
    field: str,
    lookup: str = "gte",
    *,
    zone_field: str,
    days: int = 0,
    at: dt.datetime | None = None,
) -> Q:
    """`field <lookup> (today in the row's zone + days)`, for rows in many zones at once.

    `zone_field` is the path to the zone name (e.g. ``"rotation__site__timezone"``). There
    are at most three calendar dates on Earth at any instant, so this is an OR of at most
    three `(zone in group) & (field <lookup> date)` terms: one query, no per-row work. The
    provider's group is written as "none of the other zones", so an empty or unknown zone
    name gets the provider's date, as `zone()` does.
    """
    groups = zones_by_date(at=at)
    instant = at if at is not None else now()
    provider_day = instant.astimezone(zone(settings.TIME_ZONE)).date()
    others = [name for day, names in groups.items() if day != provider_day for name in names]
    shift = dt.timedelta(days=days)
    condition = Q(**{f"{field}__{lookup}": provider_day + shift}) & ~Q(
        **{f"{zone_field}__in": others}
    )
    for day, names in groups.items():
        if day != provider_day:
            condition |= Q(**{f"{zone_field}__in": names, f"{field}__{lookup}": day + shift})
    return condition
