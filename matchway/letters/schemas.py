"""Explicit input/output schemas of the letters API.

`LetterRequestOut` is built from `view_models.LetterRequestView`; its `letter` is null
whenever the viewer may not see the letter (always for a waived letter and its applicant),
so the wire format itself carries no file name, size, page count or hash in that case.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field, field_validator

from matchway.api.schemas import Id
from matchway.core.validators import single_line

from .view_models import LetterRequestView

StatusValue = Literal[
    "draft", "requested", "accepted", "declined", "uploaded", "withdrawn", "expired"
]
KindValue = Literal["narrative", "standardized"]


class LetterFileOut(Schema):
    original_name: str
    size: int
    pages: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str


class LetterRequestOut(Schema):
    id: int
    status: StatusValue
    kind: KindValue
    specialty: str = Field(description='Specialty code from specialties.csv, or "general"')
    waived: bool
    route_to_coordinators: bool
    writer_name: str
    writer_email: str
    writer_title: str
    application_id: int | None
    due_date: dt.date
    eras_letter_id: str
    created_at: dt.datetime
    requested_at: dt.datetime | None
    accepted_at: dt.datetime | None
    declined_at: dt.datetime | None
    decline_note: str
    uploaded_at: dt.datetime | None
    finalized_at: dt.datetime | None
    eras_uploaded_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    expired_at: dt.datetime | None
    last_nudged_at: dt.datetime | None
    next_nudge_at: dt.datetime | None
    letter: LetterFileOut | None = Field(
        None, description="Only for letters the applicant did not waive, once uploaded"
    )

    @staticmethod
    def from_view(view: LetterRequestView) -> LetterRequestOut:
        letter = None
        if view.letter is not None:
            letter = LetterFileOut(
                original_name=view.letter.original_name,
                size=view.letter.size,
                pages=view.letter.pages,
                sha256=view.letter.sha256,
                uploaded_at=view.letter.uploaded_at,
                download_url=reverse("letters:request-letter", args=[view.pk]),
            )
        return LetterRequestOut(
            id=view.pk,
            status=view.status,  # type: ignore[arg-type]
            kind=view.kind,  # type: ignore[arg-type]
            specialty=view.specialty_code,
            waived=view.waived,
            route_to_coordinators=view.route_to_coordinators,
            writer_name=view.writer_name,
            writer_email=view.writer_email,
            writer_title=view.writer_title,
            application_id=view.application_id,
            due_date=view.due_date,
            eras_letter_id=view.eras_letter_id,
            created_at=view.created_at,
            requested_at=view.requested_at,
            accepted_at=view.accepted_at,
            declined_at=view.declined_at,
            decline_note=view.decline_note,
            uploaded_at=view.uploaded_at,
            finalized_at=view.finalized_at,
            eras_uploaded_at=view.eras_uploaded_at,
            withdrawn_at=view.withdrawn_at,
            expired_at=view.expired_at,
            last_nudged_at=view.last_nudged_at,
            next_nudge_at=view.next_nudge_at,
            letter=letter,
        )


class LetterRequestCreateIn(Schema):
    application_id: Id | None = Field(
        None, description="A rotation application of yours that is in progress or completed"
    )
    writer_id: Id | None = Field(
        None, description="A preceptor of that rotation (omit for an outside writer)"
    )
    writer_name: str = Field("", max_length=150)
    writer_email: str = Field("", max_length=254)
    writer_title: str = Field("", max_length=200)
    kind: KindValue = "narrative"
    specialty: str = Field("general", max_length=10)
    due_date: dt.date
    waived: bool = Field(description="Waive the right to see the letter (FERPA)")
    route_to_coordinators: bool = False
    eras_letter_id: str = Field("", max_length=200)
    message: str = Field("", max_length=5000, description="Empty: our template is used")
    brag_notes: str = Field("", max_length=3000)
    attachment_ids: list[Id] = Field(default_factory=list, max_length=10)
    send: bool = Field(True, description="Send to the writer now; false keeps a draft")

    @field_validator("writer_name", "writer_title")
    @classmethod
    def one_line(cls, value: str) -> str:
        return single_line(value) or ""


class LetterRequestWithdrawIn(Schema):
    reason: str = Field("", max_length=2000)
