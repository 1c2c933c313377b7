"""Dashboard panels: the applicant's vault at a glance; the coordinators' review backlog."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from matchway.accounts.models import Role, User
from matchway.core import clock

from .models import DocumentStatus
from .selectors import document_review_count, document_todo_documents, document_vault_summary

PANEL_ORDER = 20


def todos(request: HttpRequest) -> list[dict[str, Any]]:
    """The applicant's documents to replace: rejected or expired (now, undated) and those
    expiring within 30 days (due at the end of their last valid day, the provider's date).
    One query."""
    user = request.user
    if not isinstance(user, User) or user.role != Role.APPLICANT:
        return []
    vault = reverse("documents:vault")
    items: list[dict[str, Any]] = []
    for document in document_todo_documents(owner=user):
        name = document.type.name
        if document.status == DocumentStatus.REJECTED:
            title = _("Upload your %(document)s again") % {"document": name}
            detail = document.reason or _("A coordinator could not accept this upload.")
            due = None
        elif document.status == DocumentStatus.EXPIRED:
            title = _("Replace your expired %(document)s") % {"document": name}
            detail = _("Rotations cannot use an expired document.")
            due = None
        elif document.expires_on is not None:
            title = _("Renew your %(document)s") % {"document": name}
            detail = _("It expires soon; upload the new one when you have it.")
            due = clock.end_of_day(document.expires_on, None)
        else:
            continue
        items.append(
            {
                "due_at": due,
                "title": title,
                "detail": detail,
                "action_url": vault,
                "action_label": _("Open the vault"),
                "kind": "document",
            }
        )
    return items


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
