"""Display rows for the schedule and the offer board: instants in ET and the viewer's zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matchway.core import clock

from . import schedule
from .models import OfferStatus, SoapOffer, SoapWeek


@dataclass(frozen=True)
class ScheduleRow:
    key: str
    label: str
    eastern: dt.datetime
    local: dt.datetime
    eastern_end: dt.datetime | None
    local_end: dt.datetime | None
    all_day: bool
    confirmed: bool
    source: str
    past: bool
    current: bool


def schedule_rows(week: schedule.MatchWeek, zone: str, now: dt.datetime) -> list[ScheduleRow]:
    tz = clock.zone(zone)
    rows = []
    for event in week.events:
        end = event.ends_at
        rows.append(
            ScheduleRow(
                key=event.key,
                label=event.label,
                eastern=event.starts_at.astimezone(schedule.EASTERN),
                local=event.starts_at.astimezone(tz),
                eastern_end=end.astimezone(schedule.EASTERN) if end else None,
                local_end=end.astimezone(tz) if end else None,
                all_day=event.all_day,
                confirmed=event.confirmed,
                source=event.source,
                past=(end or event.starts_at) <= now,
                current=event.starts_at <= now < end if end else False,
            )
        )
    return rows


@dataclass(frozen=True)
class OfferRow:
    offer: SoapOffer
    local_received: dt.datetime
    local_expires: dt.datetime
    seconds_left: int
    remaining_label: str


@dataclass(frozen=True)
class RoundBoard:
    number: int
    local_start: dt.datetime
    local_end: dt.datetime
    state: str  # upcoming | open | closed
    offers: list[OfferRow]


def remaining_label(seconds: int) -> str:
    if seconds <= 0:
        return "window closed"
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{hours} h {minutes:02d} min left" if hours else f"{minutes} min left"


def offer_rows(
    week: SoapWeek, data: schedule.MatchWeek, now: dt.datetime, zone: str
) -> list[RoundBoard]:
    tz = clock.zone(zone)
    by_round: dict[int, list[OfferRow]] = {}
    for offer in week.offers.all():
        left = int((offer.expires_at - now).total_seconds())
        if offer.status != OfferStatus.OPEN:
            left = 0
        by_round.setdefault(offer.round, []).append(
            OfferRow(
                offer=offer,
                local_received=offer.received_at.astimezone(tz),
                local_expires=offer.expires_at.astimezone(tz),
                seconds_left=max(left, 0),
                remaining_label=remaining_label(left),
            )
        )
    boards: list[RoundBoard] = []
    for round_ in data.rounds:
        state = (
            "upcoming" if now < round_.starts_at else "open" if now < round_.ends_at else "closed"
        )
        boards.append(
            RoundBoard(
                number=round_.number,
                local_start=round_.starts_at.astimezone(tz),
                local_end=round_.ends_at.astimezone(tz),
                state=state,
                offers=by_round.get(round_.number, []),
            )
        )
    return boards
