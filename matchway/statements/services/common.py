"""Shared by the statement services: ownership checks, body cleaning, limits."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.exceptions import InvalidTransition, NotFound, ValidationFailed

from ..models import Statement

# The API's limit too: far above ERAS's 28,000 so a long draft can still be saved and cut.
MAX_BODY_CHARS = 100_000

MSG_TOO_LONG = _(
    "The text is longer than %(max)s characters and cannot be saved. Shorten it first; "
    "your text is still in the editor."
)
MSG_ARCHIVED = _("This statement is archived. Restore it from the archive to edit it.")


def check_owner(actor: User, statement: Statement) -> None:
    if statement.applicant_id != actor.pk:
        raise NotFound()


def check_editable(statement: Statement) -> None:
    if statement.archived_at is not None:
        raise InvalidTransition(MSG_ARCHIVED)


def clean_body(body: str) -> str:
    """Browsers send textarea newlines as CRLF; store LF so counts match what ERAS counts."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > MAX_BODY_CHARS:
        raise ValidationFailed(
            MSG_TOO_LONG % {"max": f"{MAX_BODY_CHARS:,}"},
            errors={"body": [str(MSG_TOO_LONG % {"max": f"{MAX_BODY_CHARS:,}"})]},
        )
    return body


def count_words(text: str) -> int:
    # Same rule as the analyser: whitespace-separated tokens with a letter or digit.
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))
