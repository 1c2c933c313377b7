"""Letters' periodic jobs (run_periodic). Each is idempotent: reminders claim a unique
(request, kind, offset) row before sending, expiry re-checks the state under a row lock."""

from __future__ import annotations

from .services.reminders import (
    letter_ask_reminders_send,
    letter_reminders_send,
    letter_requests_expire,
)


def letter_writer_reminders() -> int:
    """Remind writers before and after the due date; returns how many emails went out."""
    return letter_reminders_send()


def letter_applicant_ask_reminders() -> int:
    """Tell applicants with a draft that the best moment to ask has come."""
    return letter_ask_reminders_send()


def letter_requests_expiry() -> int:
    """Expire requests still waiting long after their due date."""
    return letter_requests_expire()


JOBS = [letter_writer_reminders, letter_applicant_ask_reminders, letter_requests_expiry]
