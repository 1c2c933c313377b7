"""Explicit input/output schemas of the rotations JSON API (DESIGN.md "Public interfaces").

Wire formats: dates `YYYY-MM-DD`, timestamps ISO 8601 with offset, money in `*_cents`,
`specialty` as the code string from specialties.csv.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from .forms import MAX_PRICE_DOLLARS
from .ledger import ledger_for
from .models import Application, Rotation, RotationSession, SessionStatus
from .selectors import seats_available, waitlist_position

RotationKindValue = Literal["clerkship", "observership", "externship", "research", "telehealth"]


class RotationListFilterIn(Schema):
    specialty: str | None = Field(
        default=None, max_length=10, description="Specialty code, e.g. 140"
    )
    kind: RotationKindValue | None = None
    state: str | None = Field(default=None, min_length=2, max_length=2, description="US state code")
    starts_after: dt.date | None = Field(
        None, description="Has an open session starting on or after this date (inclusive)"
    )
    max_price: int | None = Field(
        default=None,
        ge=0,
        le=MAX_PRICE_DOLLARS,
        description="Highest price in whole US dollars (the catalog form's bound)",
    )
    q: str | None = Field(default=None, max_length=100, description="Free-text search")


class SiteOut(Schema):
    name: str
    kind: str
    city: str
    state: str | None
    timezone: str

    @staticmethod
    def resolve_state(obj: Any) -> str | None:
        return obj.state_id  # type: ignore[no-any-return]


class SessionOut(Schema):
    id: int
    rotation: str = Field(description="Rotation slug")
    start_date: dt.date
    end_date: dt.date
    application_deadline: dt.date | None
    capacity: int
    seats_available: int
    waitlist_count: int
    booking_mode: Literal["instant", "review"]
    status: Literal["open", "closed", "cancelled"]
    accepts_applications: bool

    @staticmethod
    def resolve_rotation(obj: RotationSession) -> str:
        return obj.rotation.slug

    @staticmethod
    def resolve_seats_available(obj: RotationSession) -> int:
        if obj.status == SessionStatus.CANCELLED:
            return 0
        return seats_available(obj)

    @staticmethod
    def resolve_waitlist_count(obj: RotationSession) -> int:
        count = getattr(obj, "waitlist_count", None)
        if count is None:
            count = obj.applications.filter(status="waitlisted").count()
        return int(count)


class RotationListOut(Schema):
    slug: str
    title: str
    specialty: str = Field(description="Specialty code")
    specialty_name: str
    subspecialty: str
    kind: RotationKindValue
    hands_on: bool
    site: SiteOut
    weeks: int
    price_cents: int
    deposit_cents: int
    letter_possible: bool
    next_start: dt.date | None = Field(description="Earliest open upcoming session start")

    @staticmethod
    def resolve_specialty(obj: Rotation) -> str:
        return str(obj.specialty_id)

    @staticmethod
    def resolve_specialty_name(obj: Rotation) -> str:
        return obj.specialty.name

    @staticmethod
    def resolve_next_start(obj: Rotation) -> dt.date | None:
        return getattr(obj, "next_start", None)


class DocumentTypeOut(Schema):
    code: str
    name: str


class EligibilityOut(Schema):
    graduates_allowed: bool
    students_allowed: bool
    notes: str


class RotationDetailOut(RotationListOut):
    description: str = Field(description="Markdown")
    refund_policy: str
    hold_hours: int
    eligibility: EligibilityOut
    required_documents: list[DocumentTypeOut]
    preceptors: list[str] = Field(description="Preceptor names")
    sessions: list[SessionOut] = Field(description="Upcoming sessions, not cancelled")

    @staticmethod
    def resolve_eligibility(obj: Rotation) -> dict[str, Any]:
        return {
            "graduates_allowed": obj.graduates_allowed,
            "students_allowed": obj.students_allowed,
            "notes": obj.eligibility_notes,
        }

    @staticmethod
    def resolve_required_documents(obj: Rotation) -> list[Any]:
        return list(obj.required_document_types.all())

    @staticmethod
    def resolve_preceptors(obj: Rotation) -> list[str]:
        return [str(p) for p in obj.preceptors.all()]

    @staticmethod
    def resolve_sessions(obj: Rotation) -> list[RotationSession]:
        sessions: list[RotationSession] = getattr(obj, "upcoming_sessions", [])
        for session in sessions:
            session.rotation = obj  # already loaded: no query per session for the slug
        return sessions


class ApplicationCreateIn(Schema):
    motivation: str = Field(default="", max_length=4000)
    waitlist: bool = Field(default=False, description="Join the waitlist when the session is full")


class ApplicationCreateOut(Schema):
    id: int
    status: str
    hold_expires_at: dt.datetime | None
    waitlist_position: int | None

    @staticmethod
    def resolve_waitlist_position(obj: Application) -> int | None:
        return waitlist_position(obj)


class RotationBriefOut(Schema):
    slug: str
    title: str


class SessionBriefOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date
    rotation: RotationBriefOut


class NextDueOut(Schema):
    kind: str
    amount_cents: int
    due_at: dt.datetime | None


class LedgerOut(Schema):
    """Derived from the payment and refund rows (docs/dev/money.md); integer cents, USD."""

    price_cents: int
    deposit_cents: int
    paid_cents: int
    refunded_cents: int
    due_cents: int
    next_due: NextDueOut | None


class ApplicationOut(Schema):
    id: int
    status: str
    session: SessionBriefOut
    hold_expires_at: dt.datetime | None
    waitlist_position: int | None
    motivation: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    closed_at: dt.datetime | None
    ledger: LedgerOut

    @staticmethod
    def resolve_waitlist_position(obj: Application) -> int | None:
        return waitlist_position(obj)

    @staticmethod
    def resolve_ledger(obj: Application) -> dict[str, Any]:
        return ledger_for(obj).as_dict()


class ApplicationWithdrawIn(Schema):
    reason: str = Field(default="", max_length=2000)


class ApplicationConfirmIn(Schema):
    override_reason: str = Field(
        default="",
        max_length=2000,
        description="Confirm although documents or the deposit are missing (audited).",
    )
    clash_override_reason: str = Field(
        default="",
        max_length=2000,
        description=(
            "Confirm although the applicant is confirmed or in progress elsewhere on "
            "overlapping dates (audited with both application ids); without it such a "
            "confirmation answers 409 date_conflict."
        ),
    )


class ApplicationDecisionIn(Schema):
    action: Literal["accept", "decline", "waitlist"]
    message: str = Field(default="", max_length=2000)
