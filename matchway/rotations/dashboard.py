"""Dashboard panels for rotations, one set per role (discovered by core.discovery, shown by
home.views.dashboard)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from matchway.accounts.models import Role, User
from matchway.guides.selectors import (
    STEP_AFTER_ROTATION,
    STEP_ANYTIME,
    STEP_BEFORE_BOOKING,
    STEP_ON_ROTATION,
    article_for_next_step,
)

from .models import Application, ApplicationStatus
from .selectors_pages import (
    application_overviews,
    preceptor_sessions,
    queue_counts,
    sessions_upcoming,
)
from .views.common import vault_url

APPLICANT_PANEL_LIMIT = 10
# Right after the rotations panel (10): the guide is the applicant's next step.
NEXT_STEP_ORDER = 15
CLOSED = {
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DECLINED,
    ApplicationStatus.EXPIRED,
    ApplicationStatus.CANCELLED,
}


def next_step(statuses: set[str]) -> str:
    """Where the applicant is, from the statuses of their applications (a guides step)."""
    if statuses & {ApplicationStatus.IN_PROGRESS, ApplicationStatus.CONFIRMED}:
        return STEP_ON_ROTATION
    if ApplicationStatus.COMPLETED in statuses:
        return STEP_AFTER_ROTATION
    if not statuses - CLOSED:
        return STEP_BEFORE_BOOKING
    return STEP_ANYTIME


def next_step_guide_panels(user: User) -> list[dict[str, Any]]:
    """The guide to read next, chosen from the applicant's bookings (one query here, two in
    guides: articles and their tags)."""
    statuses = set(
        Application.objects.filter(applicant=user).values_list("status", flat=True).distinct()
    )
    guide = article_for_next_step(step=next_step(statuses))
    if guide is None:
        return []
    return [
        {
            "template": "guides/panels/next_step.html",
            "order": NEXT_STEP_ORDER,
            "reason": guide.reason,
            "cards": guide.cards,
        }
    ]


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not isinstance(user, User):
        return []
    if user.role == Role.APPLICANT:
        return [
            {
                "template": "rotations/panels/applicant.html",
                "order": 10,
                "overviews": application_overviews(
                    user=user, live_only=True, limit=APPLICANT_PANEL_LIMIT
                ),
                "vault_url": vault_url(),
            },
            *next_step_guide_panels(user),
        ]
    if user.role == Role.COORDINATOR:
        return [
            {
                "template": "rotations/panels/coordinator.html",
                "order": 10,
                "counts": queue_counts(),
                "sessions": sessions_upcoming(days=30)[:8],
            }
        ]
    if user.role == Role.PRECEPTOR:
        return [
            {
                "template": "rotations/panels/preceptor.html",
                "order": 10,
                "sessions": preceptor_sessions(user=user)[:6],
            }
        ]
    return []
