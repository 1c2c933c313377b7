"""Helpers shared by the experience views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from matchway.accounts.auth import current_user
from matchway.accounts.models import User
from matchway.core.exceptions import ApplicationError
from matchway.experience.selectors import experience_application_get_for_user
from matchway.rotations.models import Application


def viewer(request: HttpRequest) -> User:
    return current_user(request)


def application_for(request: HttpRequest, application_id: int, purpose: str) -> Application:
    """The application for this page, or Http404 (hidden means 404)."""
    return experience_application_get_for_user(
        user=viewer(request), application_id=application_id, purpose=purpose
    )


def add_errors(
    form: forms.Form, exc: ApplicationError, aliases: dict[str, str] | None = None
) -> None:
    """Domain errors beside their fields when the form has them, else at the top."""
    errors: dict[str, list[str]] = getattr(exc, "errors", None) or {}
    placed = False
    for name, messages in errors.items():
        field = (aliases or {}).get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def is_htmx(request: HttpRequest) -> bool:
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted
