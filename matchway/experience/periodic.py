"""Periodic jobs of the rotation experience (discovered by `run_periodic` through core.discovery).

Each is idempotent: evaluation requests are unique per evaluator and phase, reminders and
renders are claimed with compare-and-set, so overlapping runs do each thing once.
"""

from __future__ import annotations

from collections.abc import Callable

from matchway.experience.services.certificates import certificates_render_stuck
from matchway.experience.services.evaluations_reminders import evaluations_remind_due
from matchway.experience.services.evaluations_requests import evaluations_request_due


def evaluations_request() -> int:
    """Create evaluation tasks (and emails) the session schedule calls for."""
    return evaluations_request_due()


def evaluations_remind() -> int:
    """Send the evaluation reminders that are due."""
    return evaluations_remind_due()


def certificates_render_retry() -> int:
    """Re-enqueue certificate PDFs whose render task was lost."""
    return certificates_render_stuck()


JOBS: list[Callable[..., int]] = [
    evaluations_request,
    evaluations_remind,
    certificates_render_retry,
]
