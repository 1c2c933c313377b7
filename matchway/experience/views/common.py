"""Helpers shared by the experience views."""

from __future__ import annotations

from django.http import HttpRequest

from matchway.accounts.auth import current_user
from matchway.accounts.models import User
from matchway.experience.selectors import experience_application_get_for_user
from matchway.rotations.models import Application


def viewer(request: HttpRequest) -> User:
    return current_user(request)


def application_for(request: HttpRequest, application_id: int, purpose: str) -> Application:
    """The application for this page, or Http404 (hidden means 404)."""
    return experience_application_get_for_user(
        user=viewer(request), application_id=application_id, purpose=purpose
    )
