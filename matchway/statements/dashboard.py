"""Dashboard panels: the applicant's latest statement; reviews waiting for a reviewer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from matchway.accounts.models import User

from .selectors import pending_reviews_for_user, statement_summary_for_applicant


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not isinstance(user, User):
        return []
    if user.is_applicant:
        return [
            {
                "template": "statements/panels/applicant.html",
                "order": 60,
                "summary": statement_summary_for_applicant(user=user),
            }
        ]
    pending = pending_reviews_for_user(user=user)
    if pending:
        return [{"template": "statements/panels/reviewer.html", "order": 40, "pending": pending}]
    return []
