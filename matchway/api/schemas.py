"""Schemas every app's API may use: the error shapes and a page of items."""

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
