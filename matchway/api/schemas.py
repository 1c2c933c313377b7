from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema

T = TypeVar("T")


class ErrorOut(Schema):
    code: str
    message: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


class Page(Schema, Generic[T]):
    items: list[T]
    count: int


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    timezone: str


class SpecialtyOut(Schema):
    code: str
    name: str
    category: str
    eras_participating: bool
    match_type: str
