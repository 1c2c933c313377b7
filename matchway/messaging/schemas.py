import datetime as dt

from ninja import Schema
from pydantic import Field

from .models import BODY_MAX_LENGTH


class MessageIn(Schema):
    body: str = Field(..., max_length=BODY_MAX_LENGTH)


class MessageAuthorOut(Schema):
    id: int
    name: str
    role: str


class MessageOut(Schema):
    id: int
    author: MessageAuthorOut | None
    body: str
    created_at: dt.datetime
    attachment_name: str | None
    attachment_url: str | None
