from __future__ import annotations

import zoneinfo

from ninja import Schema
from pydantic import Field, field_validator

from matchway.core.validators import single_line


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    timezone: str


class MeIn(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=150)
    timezone: str | None = Field(None, max_length=64)

    @field_validator("timezone")
    @classmethod
    def known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in zoneinfo.available_timezones():
            raise ValueError("Unknown time zone; use an IANA name such as America/New_York.")
        return value

    @field_validator("full_name")
    @classmethod
    def not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("The name cannot be blank.")
        single_line(value)
        return value.strip() if value else value
