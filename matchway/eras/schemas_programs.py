"""API schemas for programs, targets, import and readiness (DESIGN.md "ERAS and Match")."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class RequirementIO(Schema):
    kind: str = Field(max_length=30)
    value: str = Field(max_length=200)
    strictness: str = Field("unknown", max_length=10)
    source_url: str = Field("", max_length=200)
    checked_on: dt.date | None = None


class ProgramOut(Schema):
    acgme_id: str
    nrmp_code: str | None
    name: str
    specialty: str
    position_type: str
    city: str
    state: str
    website: str
    requirements: list[RequirementIO]


class FitOut(Schema):
    kind: str
    verdict: str
    reason: str


class TargetOut(Schema):
    id: int
    program: ProgramOut
    status: str
    signal: str
    notes: str
    geographic_preference: bool
    fit_summary: str
    fit: list[FitOut]


class TargetCreateIn(Schema):
    acgme_id: str = Field(max_length=20)
    name: str = Field(max_length=200)
    specialty: str = Field(max_length=10)
    state: str = Field("", max_length=2)
    position_type: str = Field("categorical", max_length=20)
    city: str = Field("", max_length=100)
    nrmp_code: str = Field("", max_length=20)
    website: str = Field("", max_length=200)
    requirements: list[RequirementIO] = Field(default_factory=list, max_length=20)
    status: str = Field("considering", max_length=20)
    signal: str = Field("none", max_length=10)
    notes: str = Field("", max_length=5000)


class TargetUpdateIn(Schema):
    status: str | None = Field(None, max_length=20)
    signal: str | None = Field(None, max_length=10)
    notes: str | None = Field(None, max_length=5000)
    geographic_preference: bool | None = None


class ImportErrorOut(Schema):
    row: int
    message: str


class ImportOut(Schema):
    created: int
    updated: int
    errors: list[ImportErrorOut]


class ReadinessItemOut(Schema):
    kind: str
    status: str
    message: str
    url: str


class ReadinessOut(Schema):
    items: list[ReadinessItemOut]
