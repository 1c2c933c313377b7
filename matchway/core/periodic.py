"""Core periodic jobs (run_periodic): re-send outbox emails that are due."""

from __future__ import annotations

from matchway.core.email import email_deliver, emails_due


def emails_retry() -> int:
    """Deliver queued emails whose retry is due, or whose task was lost; returns how many
    were sent. Each delivery claims its row compare-and-set, so overlapping runs are safe."""
    return sum(email_deliver(email_id) == "sent" for email_id in emails_due())


JOBS = [emails_retry]
