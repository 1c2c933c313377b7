"""The time zone picker's choices: common zones first, grouped, with the UTC offset.

Order: the zones of the applicant's country (from their profile, where it names one), the
US zones where rotations happen, zones many IMGs live in, then every other zone grouped by
region. Each zone appears once. Country names and zones come from the tz database's own
tables (`iso3166.tab`, `zone.tab`, from the `tzdata` package or the system); without them
the picker simply has no country group.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from pathlib import Path

from django.utils.translation import gettext as _

from matchway.core import clock

US_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
)
COMMON_ZONES = (
    "Asia/Kolkata",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Kathmandu",
    "Asia/Manila",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Europe/London",
    "America/Toronto",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "Asia/Shanghai",
)
# What people type in the profile's country field, beyond the tz database's own names.
COUNTRY_ALIASES = {
    "usa": "US",
    "united states of america": "US",
    "us": "US",
    "uk": "GB",
    "england": "GB",
    "great britain": "GB",
    "uae": "AE",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "iran": "IR",
    "vietnam": "VN",
    "syria": "SY",
    "the philippines": "PH",
    "philippines": "PH",
    "caribbean": "",
}


def _tables_dir() -> Path | None:
    candidates = []
    try:
        import tzdata

        candidates.append(Path(tzdata.__file__).parent / "zoneinfo")
    except ImportError:
        pass
    candidates.append(Path("/usr/share/zoneinfo"))
    for folder in candidates:
        if (folder / "zone.tab").is_file() and (folder / "iso3166.tab").is_file():
            return folder
    return None


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@functools.cache
def country_tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(country name casefolded -> code, code -> zones in the table's order)."""
    folder = _tables_dir()
    if folder is None:
        return {}, {}
    names = {row[1].strip().casefold(): row[0] for row in _rows(folder / "iso3166.tab")}
    zones: dict[str, list[str]] = {}
    for row in _rows(folder / "zone.tab"):
        zones.setdefault(row[0], []).append(row[2])
    return names, {code: tuple(z) for code, z in zones.items()}


def zones_for_country(country: str) -> tuple[str, ...]:
    """The zones of a country named in free text ("India", "USA"); () when unknown."""
    key = " ".join(country.split()).casefold()
    if not key:
        return ()
    names, zones = country_tables()
    code = COUNTRY_ALIASES.get(key)
    if code is None:
        code = names.get(key) or (key.upper() if key.upper() in zones else "")
    available = all_zones()
    return tuple(z for z in zones.get(code, ()) if z in available)


@functools.cache
def all_zones() -> frozenset[str]:
    return frozenset(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc", "SystemV"))
    )


def _offset(zone: str, at: dt.datetime) -> str:
    delta = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or dt.timedelta()
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def zone_label(zone: str, at: dt.datetime | None = None) -> str:
    """ "Kolkata (Asia) · UTC+05:30" — the place first, as people look for it."""
    at = at or clock.now()
    region, _sep, place = zone.partition("/")
    return f"{place.replace('_', ' ').replace('/', ' / ')} ({region}) · {_offset(zone, at)}"


Choice = tuple[str, str]


def timezone_choice_groups(country: str = "", current: str = "") -> list[tuple[str, list[Choice]]]:
    """Grouped choices for a `<select>` with optgroups; every zone once."""
    at = clock.now()
    available = all_zones()
    seen: set[str] = set()
    groups: list[tuple[str, list[Choice]]] = []

    def group(title: str, zones: tuple[str, ...] | list[str]) -> None:
        items = [(z, zone_label(z, at)) for z in zones if z in available and z not in seen]
        seen.update(z for z, _label in items)
        if items:
            groups.append((title, items))

    if current and current in available:
        group(_("Your current zone"), [current])
    country_zones = zones_for_country(country)
    if country_zones:
        group(_("In %(country)s") % {"country": " ".join(country.split())}, country_zones)
    group(_("United States (rotation sites)"), US_ZONES)
    group(_("Often chosen"), COMMON_ZONES)
    by_region: dict[str, list[str]] = {}
    for zone in sorted(available):
        by_region.setdefault(zone.split("/", 1)[0], []).append(zone)
    for region, zones in sorted(by_region.items()):
        group(region, sorted(zones, key=lambda z: zone_label(z, at)))
    return groups
