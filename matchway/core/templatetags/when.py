"""`|when`: the one way every instant is shown ("Sat 5 Dec, 18:00 EST").

A builtin (config TEMPLATES builtins), so every template can use it without `{% load %}`.
The instant is shown in the zone the page is rendered in: the viewer's zone (set by the
time zone middleware from `User.timezone`) or a `{% timezone %}` block (emails use the
recipient's). `|when:"America/Chicago"` shows it in a given zone instead (a site's zone).
The year is added only when it is not the current year in that zone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import template
from django.utils import dateformat
from django.utils import timezone as dj_timezone

from matchway.core import clock

register = template.Library()

FORMAT = "D j M, H:i T"
FORMAT_OTHER_YEAR = "D j M Y, H:i T"


def _zone(name: str) -> dt.tzinfo:
    if name:
        try:
            return zoneinfo.ZoneInfo(str(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return dj_timezone.get_current_timezone()


def format_when(value: dt.datetime, zone: str = "") -> str:
    """`value` in one format, in `zone` (default: the active zone)."""
    tz = _zone(zone)
    if dj_timezone.is_naive(value):
        value = dj_timezone.make_aware(value, dj_timezone.get_default_timezone())
    local = value.astimezone(tz)
    this_year = clock.now().astimezone(tz).year
    return dateformat.format(local, FORMAT if local.year == this_year else FORMAT_OTHER_YEAR)


@register.filter
def when(value: object, zone: str = "") -> str:
    if not isinstance(value, dt.datetime):
        return "" if value in (None, "") else str(value)
    return format_when(value, zone)
