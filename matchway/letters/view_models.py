"""What the letters selectors return: frozen dataclasses, never model instances of letters.

No queries here (`selectors.py` is the only module that reads `Letter`); a
`LetterRequestView` carries a `letter` only when its viewer may see the letter, so a
template cannot reach a waived letter by following a relation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.experience.selectors import RotationApplication

from .models import WITHDRAWABLE_STATES, WRITER_STATES, LetterStatus


@dataclass(frozen=True)
class LetterFileView:
    """Facts about the letter file. Only ever built for viewers allowed to see it."""

    original_name: str
    size: int
    pages: int
    sha256: str
    uploaded_at: datetime
    version: int


@dataclass(frozen=True)
class LetterRequestView:
    pk: int
    status: str
    status_label: str
    kind: str
    kind_label: str
    specialty_code: str
    specialty_label: str
    waived: bool
    route_to_coordinators: bool
    applicant_name: str
    applicant_email: str
    writer_name: str
    writer_email: str
    writer_title: str
    writer_has_account: bool
    application_id: int | None
    rotation_label: str
    rotation_start: date | None
    rotation_end: date | None
    due_date: date
    eras_letter_id: str
    message: str
    brag_notes: str
    brag_sheet: dict[str, Any]
    created_at: datetime
    requested_at: datetime | None
    accepted_at: datetime | None
    declined_at: datetime | None
    decline_note: str
    uploaded_at: datetime | None
    finalized_at: datetime | None
    eras_uploaded_at: datetime | None
    withdrawn_at: datetime | None
    expired_at: datetime | None
    last_nudged_at: datetime | None
    next_nudge_at: datetime | None
    writer_link_expires_at: datetime | None
    remind_applicant_on: date | None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    letter: LetterFileView | None = None

    @property
    def is_final(self) -> bool:
        return self.finalized_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def letter_in(self) -> bool:
        return self.status == LetterStatus.UPLOADED

    @property
    def is_standardized(self) -> bool:
        return self.kind == "standardized"

    @property
    def writer_can_act(self) -> bool:
        return self.status in WRITER_STATES and self.finalized_at is None

    @property
    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE_STATES

    @property
    def can_nudge(self) -> bool:
        return self.status in (LetterStatus.REQUESTED, LetterStatus.ACCEPTED) and (
            self.next_nudge_at is None or self.next_nudge_at <= clock.now()
        )

    @property
    def can_renew_link(self) -> bool:
        return self.writer_can_act

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in (LetterStatus.REQUESTED, LetterStatus.ACCEPTED)
            and self.due_date < clock.provider_today()
        )

    @property
    def badge(self) -> str:
        if self.status == LetterStatus.UPLOADED:
            return "ok"
        if self.status in (LetterStatus.DECLINED, LetterStatus.EXPIRED):
            return "bad"
        if self.is_overdue:
            return "bad"
        if self.status in (LetterStatus.REQUESTED, LetterStatus.ACCEPTED):
            return "warn"
        return ""

    @property
    def display_status(self) -> str:
        if self.status == LetterStatus.UPLOADED and self.finalized_at is not None:
            return _("Uploaded (final)")
        return self.status_label


@dataclass(frozen=True)
class WriterChoice:
    application: RotationApplication
    writer: User


@dataclass(frozen=True)
class AssignableLetter:
    """A letter the applicant may assign to programs: who wrote it, never what it says."""

    letter_id: int
    request_id: int
    writer_name: str
    specialty_label: str
    waived: bool


@dataclass(frozen=True)
class ProgramLetters:
    label: str
    key: str
    letters: list[tuple[int, AssignableLetter]]
