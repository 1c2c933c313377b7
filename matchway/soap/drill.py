"""Drill mode: rehearse a past season's Match Week on a simulated clock (docs/dev/soap.md).

A drill is a `SoapWeek` of kind `drill`: its own fictitious list, applications and offers,
so it never touches the real week. Its clock runs from Monday 09:55 ET of the replayed
season at the chosen speed (`selectors.week_now`); "skip to the next event" moves it on.
Scripted offers come only from programs the applicant sent an application to, a few per
round, and never repeat a program; after each round the refreshed sample list is imported.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import ApplicationError, ValidationFailed

from . import samples, schedule, selectors, services
from .models import ListImport, OfferStatus, SoapWeek, WeekKind

SPEEDS = (1, 10, 60, 360)
OFFERS_PER_ROUND = 3
START_BEFORE = dt.timedelta(minutes=5)


def drill_start(*, actor: User, speed: int) -> SoapWeek:
    """A fresh drill of the last season (any earlier drill of that season is replaced)."""
    if speed not in SPEEDS:
        raise ValidationFailed(errors={"speed": ["Choose one of the listed speeds."]})
    season = selectors.drill_season()
    week_data = selectors.match_week(season)
    with transaction.atomic():
        SoapWeek.objects.filter(applicant=actor, kind=WeekKind.DRILL).delete()
        week = SoapWeek.objects.create(
            applicant=actor,
            season=season,
            kind=WeekKind.DRILL,
            drill_speed=speed,
            drill_origin=week_data.starts_at - START_BEFORE,
            drill_started_at=clock.now(),
        )
        _import_sample(actor, week, 0)
        audit_record(
            actor=actor,
            action="soap_week.drill_started",
            target=week,
            data={"season": season, "speed": speed},
        )
    return week


def _import_sample(actor: User | None, week: SoapWeek, round_: int) -> None:
    if ListImport.objects.filter(week=week, round=round_).exists():
        return
    # `list_import` marks every import of a drill week fictitious.
    services.list_import(
        actor=actor,  # type: ignore[arg-type]
        week=week,
        text=samples.sample_csv(round_=round_),
        round_=round_,
    )


def next_event(week: SoapWeek) -> schedule.Event | None:
    now = selectors.week_now(week)
    for event in selectors.match_week(week.season).events:
        if event.starts_at > now and not event.all_day:
            return event
    return None


def drill_advance(*, actor: User, week: SoapWeek) -> SoapWeek:
    """Jump the simulated clock to the next event of the week."""
    if week.drill_finished_at is not None:
        raise ApplicationError("This drill is finished; start a new one to practise again.")
    event = next_event(week)
    if event is None:
        return drill_finish(actor=actor, week=week)
    week.drill_origin = event.starts_at
    week.drill_started_at = clock.now()
    week.save(update_fields=["drill_origin", "drill_started_at", "updated_at"])
    audit_record(
        actor=actor, action="soap_week.drill_advanced", target=week, data={"to": event.key}
    )
    drill_tick(week)
    return week


def drill_finish(*, actor: User, week: SoapWeek) -> SoapWeek:
    if week.drill_finished_at is None:
        drill_tick(week)
        week.drill_finished_at = clock.now()
        week.save(update_fields=["drill_finished_at", "updated_at"])
        audit_record(actor=actor, action="soap_week.drill_finished", target=week)
    return week


def drill_tick(week: SoapWeek) -> None:
    """Bring the drill up to its simulated now: scripted offers for rounds that have
    started, refreshed lists for rounds that have ended, expired windows. Idempotent."""
    if not week.is_drill:
        return
    now = selectors.week_now(week)
    data = selectors.match_week(week.season)
    for round_ in data.rounds:
        if round_.starts_at <= now:
            _script_offers(week, round_.number, round_.starts_at)
        if round_.ends_at <= now:
            _import_sample(None, week, round_.number)
    services.offers_expire(week=week, at=now)


def _script_offers(week: SoapWeek, number: int, starts_at: dt.datetime) -> None:
    if week.offers.filter(round=number, scripted=True).exists():
        return
    if week.offers.filter(status=OfferStatus.ACCEPTED).exists():
        return
    offered = set(week.offers.values_list("program_code", flat=True))
    sent = [
        a.program_code
        for a in week.applications.filter(sent_at__isnull=False).order_by("pk")
        if a.program_code not in offered
    ]
    # Every fifth sent application, starting at a different place each round.
    picks = sent[number - 1 :: 5][:OFFERS_PER_ROUND]
    for code in picks:
        services.offer_record(
            actor=None,
            week=week,
            program_code=code,
            round_=number,
            received_at=starts_at,
            scripted=True,
        )
