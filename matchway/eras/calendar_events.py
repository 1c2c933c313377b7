"""Calendar-feed hook (core.discovery.calendar_events): the applicant's interviews join the
private, revocable calendar feed the rotations app serves, without either app importing
the other."""

from __future__ import annotations

from typing import Any

from matchway.core.links import absolute_url, site_host

from .ics import interview_event
from .selectors_season import interviews_for_user


def events(user: Any) -> list[dict[str, Any]]:
    host = site_host() or "matchway"
    url = absolute_url("eras:interview_list")
    return [interview_event(i, host=host, url=url) for i in interviews_for_user(user=user)]
