"""Form helpers shared by every app's views."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from matchway.core.exceptions import ApplicationError


def form_add_errors(
    form: forms.BaseForm,
    exc: ApplicationError,
    *,
    field_map: Mapping[str, str] | None = None,
) -> None:
    """Put a service error on `form`: field errors beside their fields, the rest on top.

    `exc.errors` (ValidationFailed) maps service field names to messages; `field_map` renames
    them to form field names (e.g. amount_cents → amount). Messages about names the form does
    not have (`__all__`, "documents" …) go to the top, after the error's own message, which
    also shows whenever nothing could be placed beside a field. Never shows a message twice.
    """
    errors: Mapping[str, list[str]] = getattr(exc, "errors", None) or {}
    mapping = field_map or {}
    on_top: list[str] = []
    placed = False
    for name, messages in errors.items():
        field = mapping.get(name, name)
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
        else:
            on_top.extend(str(m) for m in messages)
    if on_top or not placed:
        form.add_error(None, exc.message)
    for message in dict.fromkeys(on_top):
        if message != exc.message:
            form.add_error(None, message)
