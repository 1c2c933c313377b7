"""Dashboard panels for rotations, one set per role (see home.views.dashboard)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from matchway.accounts.models import Role, User

from .dashboard_experience import with_experience_panels
from .selectors_pages import (
    application_overviews,
    preceptor_sessions,
    queue_counts,
    sessions_upcoming,
)
from .views.common import vault_url

APPLICANT_PANEL_LIMIT = 10


@with_experience_panels
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
            }
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
