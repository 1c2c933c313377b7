from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class ArticleListParams(Schema):
    q: str = Field("", max_length=200, description="Search words; empty lists newest first.")


class ArticleOut(Schema):
    slug: str
    title: str
    summary: str
    tags: list[str]
    published_at: datetime | None
    updated_at: datetime
    url: str
    score: int | None = Field(None, description="Search rank (higher is better); null unless q.")
    excerpt_html: str | None = Field(
        None, description="Escaped excerpt with <mark> around matches; null unless q."
    )


class TocEntryOut(Schema):
    level: int
    id: str
    text: str


class FactOut(Schema):
    path: str
    value: str
    season: str
    source: str


class ArticleDetailOut(ArticleOut):
    html: str = Field(description="Sanitized HTML of the body.")
    toc: list[TocEntryOut]
    facts: list[FactOut]
    reading_minutes: int
