"""Letters settings with their defaults, read lazily so tests can override them.

Every value can be set in Django settings (and so from the environment in
`config/settings/base.py`); the defaults below are what a fresh install uses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

# ERAS LoR Portal rule through the 2026 season (domain-facts §2); the 2027 portal's file
# rules are unconfirmed, so the limit is a setting, not a constant.
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_TOKEN_TTL_DAYS = 30
DEFAULT_REMINDER_DAYS = (14, 7, 2)
DEFAULT_REMINDER_AFTER_DAYS = (3, 10)
DEFAULT_EXPIRE_AFTER_DAYS = 30
# A writer asked (or reminded) less than a week ago has not had a fair chance to answer;
# a weekly reminder is the usual courtesy and keeps the applicant from pestering.
DEFAULT_NUDGE_INTERVAL_DAYS = 7
DEFAULT_MIN_LEAD_DAYS = 28
DEFAULT_TOKEN_RATE_LIMIT = 30
DEFAULT_TOKEN_RATE_WINDOW_SECONDS = 300
DEFAULT_ATTACHMENT_TYPES = ("cv", "personal_statement")

TOKEN_PURPOSE = "letter_writer"  # noqa: S105 - a token purpose label, not a secret


def max_bytes() -> int:
    return int(getattr(settings, "LETTER_MAX_BYTES", DEFAULT_MAX_BYTES))


def token_ttl() -> timedelta:
    return timedelta(days=int(getattr(settings, "LETTER_TOKEN_TTL_DAYS", DEFAULT_TOKEN_TTL_DAYS)))


def reminder_days() -> list[int]:
    """Days before the due date on which the writer is reminded (largest first)."""
    days = getattr(settings, "LETTER_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    return sorted({int(d) for d in days if int(d) > 0}, reverse=True)


def reminder_after_days() -> list[int]:
    """Days after a missed due date on which the writer is reminded (smallest first)."""
    days = getattr(settings, "LETTER_REMINDER_AFTER_DAYS", DEFAULT_REMINDER_AFTER_DAYS)
    return sorted({int(d) for d in days if int(d) > 0})


def expire_after() -> timedelta:
    days = int(getattr(settings, "LETTER_EXPIRE_AFTER_DAYS", DEFAULT_EXPIRE_AFTER_DAYS))
    return timedelta(days=days)


def nudge_interval() -> timedelta:
    """Time after the request is sent, or after the last reminder, before another."""
    days = int(getattr(settings, "LETTER_NUDGE_INTERVAL_DAYS", DEFAULT_NUDGE_INTERVAL_DAYS))
    return timedelta(days=days)


def next_nudge_at(
    requested_at: datetime | None, last_nudged_at: datetime | None
) -> datetime | None:
    """When a reminder may be sent: a nudge interval after the request went out or after
    the last reminder, whichever is later (None for a request never sent)."""
    last = max((t for t in (requested_at, last_nudged_at) if t is not None), default=None)
    return last + nudge_interval() if last is not None else None


def min_lead() -> timedelta:
    """Less notice than this earns the applicant a warning (writers need about a month)."""
    return timedelta(days=int(getattr(settings, "LETTER_MIN_LEAD_DAYS", DEFAULT_MIN_LEAD_DAYS)))


def token_rate_limit() -> tuple[int, int]:
    """(requests, window in seconds) allowed per IP address on the writer-link pages."""
    return (
        int(getattr(settings, "LETTER_TOKEN_RATE_LIMIT", DEFAULT_TOKEN_RATE_LIMIT)),
        int(getattr(settings, "LETTER_TOKEN_RATE_WINDOW", DEFAULT_TOKEN_RATE_WINDOW_SECONDS)),
    )


def attachment_types() -> tuple[str, ...]:
    """Vault document types an applicant may attach to a request (CV, personal statement)."""
    return tuple(getattr(settings, "LETTER_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES))
