"""Dashboard panels: the applicant's vault at a glance; the coordinators' review backlog."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from matchway.accounts.models import Role, User

from .selectors import document_review_count, document_vault_summary

PANEL_ORDER = 20


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not isinstance(user, User):
        return []
    if user.role == Role.APPLICANT:
        return [
            {
                "template": "documents/document_panel.html",
                "order": PANEL_ORDER,
                "role": "applicant",
                "summary": document_vault_summary(owner=user),
            }
        ]
    if user.role == Role.COORDINATOR:
        return [
            {
                "template": "documents/document_panel.html",
                "order": PANEL_ORDER,
                "role": "coordinator",
                "waiting": document_review_count(),
            }
        ]
    return []
