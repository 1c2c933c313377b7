"""Helpers shared by the rotations views: optional links, domain errors onto forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse

ViewDecorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def optional_url(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def vault_url() -> str | None:
    return optional_url("documents:vault")
