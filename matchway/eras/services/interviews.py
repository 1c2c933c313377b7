"""Interviews: create, change, remove, mark the thank-you note sent; the two-zone view
with clash warnings.

An interview is stored as an aware instant (UTC in the database) plus the zone the program
gave it in. The applicant types the program's local date and time; `local_to_instant`
refuses a time that does not exist in that zone (the hour skipped when clocks go forward)
and takes the first of two (the hour repeated when they go back), so a daylight-saving
change can never shift an interview silently.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import NotFound, ValidationFailed

from ..models import Interview, InterviewFormat, ProgramTarget

MAX_DURATION_MINUTES = 24 * 60


def zone_valid(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


def local_to_instant(day: dt.date, time: dt.time, zone_name: str) -> dt.datetime:
    """The aware instant for a wall-clock time in `zone_name`."""
    if not zone_valid(zone_name):
        raise ValidationFailed(errors={"timezone": ["Choose a time zone from the list."]})
    zone = zoneinfo.ZoneInfo(zone_name)
    local = dt.datetime.combine(day, time).replace(tzinfo=zone, fold=0)
    round_trip = local.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationFailed(
            errors={
                "time": [
                    f"{time:%H:%M} does not exist on {day:%Y-%m-%d} in {zone_name}: the clocks "
                    "move forward then. Check the time with the program."
                ]
            }
        )
    return local.astimezone(dt.UTC)


@dataclass(frozen=True)
class InterviewData:
    day: dt.date
    time: dt.time
    timezone: str
    duration_minutes: int = 240
    format: str = InterviewFormat.VIRTUAL
    link: str = ""
    notes: str = ""
    thank_you_due_on: dt.date | None = None

    def check(self) -> None:
        errors: dict[str, list[str]] = {}
        if not 1 <= self.duration_minutes <= MAX_DURATION_MINUTES:
            errors["duration_minutes"] = ["Between 1 minute and 24 hours."]
        if self.format not in InterviewFormat.values:
            errors["format"] = ["Virtual or in person."]
        if self.link and not self.link.lower().startswith(("https://", "http://")):
            errors["link"] = ["A web address starting with https://."]
        if self.thank_you_due_on and self.thank_you_due_on < self.day:
            errors["thank_you_due_on"] = ["The note is due after the interview, not before."]
        if errors:
            raise ValidationFailed(errors=errors)


def _apply(interview: Interview, data: InterviewData) -> None:
    data.check()
    interview.starts_at = local_to_instant(data.day, data.time, data.timezone)
    interview.timezone = data.timezone
    interview.duration_minutes = data.duration_minutes
    interview.format = data.format
    interview.link = data.link
    interview.notes = data.notes
    interview.thank_you_due_on = data.thank_you_due_on


def interview_create(*, actor: Any, target: ProgramTarget, data: InterviewData) -> Interview:
    if target.applicant_id != getattr(actor, "pk", None):
        raise NotFound()
    interview = Interview(target=target)
    _apply(interview, data)
    with transaction.atomic():
        interview.save()
        audit_record(
            actor=actor,
            action="eras_interview.created",
            target=interview,
            data={"starts_at": interview.starts_at.isoformat(), "timezone": data.timezone},
        )
    return interview


def interview_update(*, actor: Any, interview: Interview, data: InterviewData) -> Interview:
    if interview.target.applicant_id != getattr(actor, "pk", None):
        raise NotFound()
    _apply(interview, data)
    with transaction.atomic():
        interview.save()
        audit_record(
            actor=actor,
            action="eras_interview.updated",
            target=interview,
            data={"starts_at": interview.starts_at.isoformat(), "timezone": data.timezone},
        )
    return interview


def interview_delete(*, actor: Any, interview: Interview) -> None:
    if interview.target.applicant_id != getattr(actor, "pk", None):
        raise NotFound()
    with transaction.atomic():
        audit_record(actor=actor, action="eras_interview.deleted", target=interview)
        interview.delete()


def interview_thank_you_mark(*, actor: Any, interview: Interview, sent: bool) -> Interview:
    if interview.target.applicant_id != getattr(actor, "pk", None):
        raise NotFound()
    interview.thank_you_sent_at = clock.now() if sent else None
    with transaction.atomic():
        interview.save(update_fields=["thank_you_sent_at", "updated_at"])
        audit_record(
            actor=actor,
            action="eras_interview.updated",
            target=interview,
            data={"thank_you_sent": sent},
        )
    return interview


def ends_at(interview: Interview) -> dt.datetime:
    return interview.starts_at + dt.timedelta(minutes=interview.duration_minutes)


def overlaps(a: Interview, b: Interview) -> bool:
    return a.pk != b.pk and a.starts_at < ends_at(b) and b.starts_at < ends_at(a)


@dataclass
class InterviewView:
    """One interview as the pages show it: in the program's zone and the applicant's."""

    interview: Interview
    program_start: dt.datetime
    program_end: dt.datetime
    applicant_start: dt.datetime
    applicant_end: dt.datetime
    applicant_zone: str
    clashes: list[Interview] = field(default_factory=list)

    @property
    def same_zone(self) -> bool:
        return self.program_start.utcoffset() == self.applicant_start.utcoffset() and (
            self.interview.timezone == self.applicant_zone
        )

    @property
    def program_when(self) -> str:
        return _span(self.program_start, self.program_end, self.interview.timezone)

    @property
    def applicant_when(self) -> str:
        return _span(self.applicant_start, self.applicant_end, self.applicant_zone)

    @property
    def thank_you_overdue(self) -> bool:
        due = self.interview.thank_you_due_on
        if due is None or self.interview.thank_you_sent_at is not None:
            return False
        return due < clock.today_in(self.applicant_zone)

    def as_dict(self) -> dict[str, Any]:
        i = self.interview
        return {
            "id": i.pk,
            "target_id": i.target_id,
            "program": i.target.program.name,
            "starts_at": i.starts_at.astimezone(dt.UTC).isoformat(),
            "ends_at": ends_at(i).astimezone(dt.UTC).isoformat(),
            "timezone": i.timezone,
            "starts_at_program": self.program_start.isoformat(),
            "starts_at_applicant": self.applicant_start.isoformat(),
            "format": i.format,
            "link": i.link,
            "thank_you_due": i.thank_you_due_on.isoformat() if i.thank_you_due_on else None,
            "thank_you_sent": i.thank_you_sent_at is not None,
            "clashes_with": [c.pk for c in self.clashes],
        }


def _span(start: dt.datetime, end: dt.datetime, zone_name: str) -> str:
    """"Tue 3 Nov 2026, 09:00–13:00 EST (America/New_York)"; the end's date when it differs."""
    head = f"{start:%a} {start.day} {start:%b %Y, %H:%M}"
    tail = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a} {end.day} {end:%b, %H:%M}"
    return f"{head}–{tail} {start.tzname()} ({zone_name})"


def interview_view(
    interview: Interview, *, viewer_zone: str, others: list[Interview]
) -> InterviewView:
    program_zone = clock.zone(interview.timezone if zone_valid(interview.timezone) else "UTC")
    viewer = clock.zone(viewer_zone if zone_valid(viewer_zone) else "America/New_York")
    end = ends_at(interview)
    return InterviewView(
        interview=interview,
        program_start=interview.starts_at.astimezone(program_zone),
        program_end=end.astimezone(program_zone),
        applicant_start=interview.starts_at.astimezone(viewer),
        applicant_end=end.astimezone(viewer),
        applicant_zone=str(viewer),
        clashes=[o for o in others if overlaps(interview, o)],
    )


def interview_views(interviews: list[Interview], *, viewer_zone: str) -> list[InterviewView]:
    """Every interview with its clashes: sorted by start, so each one is compared only with
    those that start before it ends (no pairwise scan of the whole list)."""
    ordered = sorted(interviews, key=lambda i: (i.starts_at, i.pk))
    views = [interview_view(i, viewer_zone=viewer_zone, others=[]) for i in ordered]
    for index, current in enumerate(ordered):
        for j in range(index + 1, len(ordered)):
            later = ordered[j]
            if later.starts_at >= ends_at(current):
                break
            views[index].clashes.append(later)
            views[j].clashes.append(current)
    return views
