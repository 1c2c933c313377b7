from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    category: str
    subject: str
    text: str
    link: str = Field(description="A path on this site, or empty")
    created_at: dt.datetime
    read_at: dt.datetime | None
    emailed_at: dt.datetime | None


class NotificationReadIn(Schema):
    ids: list[int] = Field(default_factory=list, max_length=500)
    all: bool = Field(False, description="Mark every notification read (ids are ignored)")


class NotificationReadOut(Schema):
    updated: int
    unread: int
