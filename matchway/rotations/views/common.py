"""Helpers shared by the rotations views: optional links, domain errors onto forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse

from matchway.core.exceptions import ApplicationError

ViewDecorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def optional_url(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def wants_partial(request: Any) -> bool:
    """An htmx swap asks for the fragment; a boosted link or a history restore (the browser's
    back button after htmx pushed the URL, with nothing cached) needs the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def vault_url() -> str | None:
    return optional_url("documents:vault")


def apply_errors(
    form: Any, exc: ApplicationError, *, field_map: dict[str, str] | None = None
) -> None:
    """Put a domain error on the form: field errors beside fields, the message on top.

    `field_map` renames service field names to form field names (e.g. amount_cents → amount).
    Errors about things that are not form fields (e.g. "documents") are summarised by the
    error's own message, which names them.
    """
    errors = getattr(exc, "errors", None) or {}
    placed = False
    for name, messages in errors.items():
        field = (field_map or {}).get(name, name)
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed or any((field_map or {}).get(n, n) not in form.fields for n in errors):
        form.add_error(None, exc.message)
