"""Field validators shared by forms, API schemas and services."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MSG_SINGLE_LINE = _("Use a single line without line breaks, tabs or control characters.")


def has_control_characters(value: str) -> bool:
    """True if `value` holds a line break, tab or other control character (Unicode Cc).

    Names and titles end up in email headers, PDFs and CSV cells, where a CR/LF can forge
    a header or a row.
    """
    return any(unicodedata.category(char) == "Cc" for char in value)


def validate_single_line(value: str) -> None:
    """Django validator: reject control characters (CR, LF, tab, NUL, …) in a one-line field."""
    if value and has_control_characters(value):
        raise ValidationError(MSG_SINGLE_LINE, code="single_line")


def single_line(value: str | None) -> str | None:
    """Pydantic field validator body: the same rule, raising ValueError."""
    if value and has_control_characters(value):
        raise ValueError(str(MSG_SINGLE_LINE))
    return value
