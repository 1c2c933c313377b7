"""Demo season, budget side: the demo applicant has 2 signals, 3 interviews and a draft rank
list. It uses the programs part's demo programs when they are there and otherwise adds its
own (found again by ACGME id, so both parts can seed side by side). Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from matchway.core import clock
from matchway.reference.models import Specialty

from .models import Interview, Program, ProgramTarget, Signal, TargetStatus
from .services.interviews import InterviewData, interview_create
from .services.ranklist import rank_list_add, rank_list_for_user
from .services.season import season_current
from .services.signals import signal_allowance, target_signal_set

# Made-up programs (ids are fictional): (ACGME id, name, specialty, city, state, zone).
PROGRAMS = [
    (
        "1403599101",
        "Lakeshore Regional Internal Medicine",
        "140",
        "Chicago",
        "IL",
        "America/Chicago",
    ),
    (
        "1403599102",
        "Hudson Valley Medical Center Internal Medicine",
        "140",
        "Albany",
        "NY",
        "America/New_York",
    ),
    ("1403599103", "Front Range Internal Medicine", "140", "Denver", "CO", "America/Denver"),
    ("1203599104", "Prairie Family Medicine", "120", "Wichita", "KS", "America/Chicago"),
]
WANTED_SIGNALS = 2
WANTED_INTERVIEWS = 3


def _targets(applicant: Any, season: str) -> list[tuple[ProgramTarget, str]]:
    found = []
    for acgme_id, name, code, city, state, zone in PROGRAMS:
        specialty = Specialty.objects.filter(code=code).first()
        if specialty is None:
            continue
        program, _created = Program.objects.get_or_create(
            owner=applicant,
            acgme_id=acgme_id,
            defaults={"name": name, "specialty": specialty, "city": city, "state": state},
        )
        target, _created = ProgramTarget.objects.get_or_create(
            applicant=applicant,
            program=program,
            season=season,
            defaults={"status": TargetStatus.INTERVIEW_SCHEDULED},
        )
        found.append((target, zone))
    return found


def seed(context: dict[str, Any]) -> None:
    applicant = context["users"]["applicant"]
    season = season_current()
    targets = _targets(applicant, season)
    if not targets:
        return
    mine = ProgramTarget.objects.filter(applicant=applicant, season=season)
    signalled = mine.exclude(signal=Signal.NONE).count()
    for target, _zone in targets:
        if signalled >= WANTED_SIGNALS or target.signal != Signal.NONE:
            continue
        limits = signal_allowance(target.program.specialty, season).limits
        kind = Signal.GOLD if Signal.GOLD in limits else next(iter(limits), None)
        if kind is None:
            continue
        target_signal_set(target=target, signal=kind, actor=applicant)
        signalled += 1
    interviews = Interview.objects.filter(target__applicant=applicant).count()
    start = clock.now().astimezone(clock.EASTERN).date() + dt.timedelta(days=10)
    for index, (target, zone) in enumerate(targets[:WANTED_INTERVIEWS]):
        if interviews >= WANTED_INTERVIEWS or target.interviews.exists():
            continue
        interview_create(
            actor=applicant,
            target=target,
            data=InterviewData(
                day=start + dt.timedelta(days=3 * index),
                time=dt.time(9, 0),
                timezone=zone,
                duration_minutes=240,
                format="virtual" if index != 1 else "in_person",
                link="https://meet.example.org/demo-interview" if index != 1 else "",
                thank_you_due_on=start + dt.timedelta(days=3 * index + 2),
            ),
        )
        interviews += 1
    if not rank_list_for_user(user=applicant, season=season):
        for target, _zone in targets[:WANTED_INTERVIEWS]:
            rank_list_add(actor=applicant, target=target)
    context["stdout"].write(
        f"  eras season: {signalled} signals, {interviews} interviews, draft rank list"
    )
