"""Explicit input/output schemas for the statements API."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field, field_validator

from .services import MAX_BODY_CHARS


class StatementAnalyzeIn(Schema):
    text: str = Field(..., max_length=MAX_BODY_CHARS, description="Plain text to analyse.")
    specialty: str | None = Field(
        None, max_length=10, description='Specialty code from specialties.csv, e.g. "140".'
    )
    graduation_year: int | None = Field(None, ge=1950, le=2100)

    @field_validator("text")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("The text is empty.")
        return value


class ReadabilityOut(Schema):
    flesch_reading_ease: float | None = None
    flesch_kincaid_grade: float | None = None
    coleman_liau_index: float | None = None
    automated_readability_index: float | None = None
    avg_sentence_words: float | None = None
    passive_rate: float | None = None
    explanation: str = ""

    model_config = {"extra": "allow"}


class FindingOut(Schema):
    kind: str
    severity: str = Field(..., description="info | warning | error")
    start: int
    end: int
    message: str
    suggestion: str


class StatementAnalyzeOut(Schema):
    characters: int = Field(
        ..., description="Length as ERAS counts it: letters, numbers, spaces and punctuation."
    )
    words: int = Field(..., description="Word count, for context; ERAS does not count words.")
    pages: float = Field(
        ...,
        description=(
            "Rough printed length, for context only: characters / 3,500, the middle of "
            "Matchway's estimate that a single-spaced US Letter page (1-inch margins, "
            "11-12 pt) holds about 3,000-4,000 characters. The real page count depends on "
            "font and layout (e.g. 4,500 characters is about 1-1.5 pages). ERAS has no page "
            "rule; compare `characters` with `max_characters`."
        ),
    )
    paragraphs: int
    max_characters: int = Field(
        ..., description="The season's ERAS personal statement limit, from the limits data."
    )
    readability: ReadabilityOut
    findings: list[FindingOut]
