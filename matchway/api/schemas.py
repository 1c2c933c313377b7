"""Schemas every app's API may use: the error shapes and bounded integers (pages come from
api.pagination).

Every integer an API operation reads (path, query or body) uses one of the bounded types
below, so a number too big for the database (SQLite and PostgreSQL store 64-bit integers)
answers 422 `validation_error` instead of reaching a query and failing there with a 500
(docs/dev/errors.md).
"""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field

#: The largest integer SQLite and PostgreSQL (bigint) can store.
DB_INT_MAX = 2**63 - 1

#: A database id in a path or body: 1 … DB_INT_MAX (ids are never 0 or negative).
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
#: Any non-negative integer the database may see in a filter.
DbInt = Annotated[int, Field(ge=0, le=DB_INT_MAX)]


class ErrorOut(Schema):
    code: str
    message: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]
