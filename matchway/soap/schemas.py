from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class EventOut(Schema):
    key: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    confirmed: bool
    all_day: bool
    source: str


class ScheduleOut(Schema):
    season: str
    label: str
    confirmed: bool
    source: str
    note: str
    events: list[EventOut]


class ImportErrorOut(Schema):
    row: int
    message: str


class ImportOut(Schema):
    round: int | None
    created: int
    errors: list[ImportErrorOut]


class UnfilledOut(Schema):
    program_code: str
    acgme_id: str
    name: str
    specialty: str
    position_type: str
    state: str
    unfilled_positions: int
    soap_participating: bool
    application_service: str


class ApplicationIn(Schema):
    program_code: str = Field(..., max_length=20)
    letter_ids: list[int] = Field(default_factory=list, max_length=20)
    statement_version_id: int | None = Field(None, ge=1, le=2_147_483_647)
    sent: bool = False


class ApplicationOut(Schema):
    id: int
    program_code: str
    program_name: str
    letter_ids: list[int]
    statement_version_id: int | None
    sent_at: dt.datetime | None


class ApplicationsOut(Schema):
    limit: int
    remaining: int
    items: list[ApplicationOut]


class OfferIn(Schema):
    program_code: str = Field(..., max_length=20)
    round: int = Field(..., ge=1, le=50)
    received_at: dt.datetime | None = None


class OfferOut(Schema):
    id: int
    program_code: str
    program_name: str
    round: int
    received_at: dt.datetime
    expires_at: dt.datetime
    status: str
    decided_at: dt.datetime | None
