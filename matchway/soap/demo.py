"""Demo data: the demo applicant has a finished drill (45 sent, offers answered in two
rounds) and an empty real cockpit for the coming season. Idempotent."""

from __future__ import annotations

from typing import Any

from matchway.accounts.models import User

from . import drill, selectors, services
from .models import OfferStatus, SoapWeek, WeekKind


def _advance_until(user: User, week: SoapWeek, done: Any) -> None:
    for _step in range(30):
        if done():
            return
        drill.drill_advance(actor=user, week=week)


def seed(context: dict[str, Any]) -> None:
    users: dict[str, User] = context.get("users", {})
    applicant = users.get("applicant")
    if applicant is None:
        return
    stdout = context.get("stdout")
    services.week_get_or_create(applicant)  # the real week: empty until Match Week
    if SoapWeek.objects.filter(
        applicant=applicant, kind=WeekKind.DRILL, drill_finished_at__isnull=False
    ).exists():
        if stdout is not None:
            stdout.write("  soap: finished drill already present")
        return
    week = drill.drill_start(actor=applicant, speed=60)
    data = selectors.match_week(week.season)
    opens = data.event("applications_open").starts_at
    _advance_until(applicant, week, lambda: selectors.week_now(week) >= opens)
    latest = selectors.latest_import(week)
    codes = (
        list(
            latest.rows.filter(soap_participating=True)
            .order_by("specialty", "name")
            .values_list("program_code", flat=True)[: selectors.application_limit()]
        )
        if latest
        else []
    )
    services.applications_add(actor=applicant, week=week, codes=codes, sent=True)
    first, second = data.rounds[0], data.rounds[1]
    _advance_until(applicant, week, lambda: selectors.week_now(week) >= first.starts_at)
    for offer in week.offers.filter(round=1, status=OfferStatus.OPEN):
        services.offer_decline(actor=applicant, offer=offer)
    _advance_until(applicant, week, lambda: selectors.week_now(week) >= second.starts_at)
    chosen = week.offers.filter(round=2, status=OfferStatus.OPEN).first()
    if chosen is not None:
        services.offer_accept(actor=applicant, offer=chosen)
    drill.drill_finish(actor=applicant, week=week)
    if stdout is not None:
        stdout.write("  soap: finished drill for the demo applicant")
