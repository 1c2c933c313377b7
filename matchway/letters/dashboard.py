"""Dashboard panels: applicants see their letters, writers their requests, coordinators
what was shared with them. Each panel costs a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from matchway.accounts.models import Role, User
from matchway.core import clock

from .models import LetterStatus
from .selectors import letter_request_list, letter_request_views

PANEL_SIZE = 5
# A letter still with its writer shows up as a to-do this many days before it is due.
TODO_WINDOW_DAYS = 21


def todos(request: HttpRequest) -> list[dict[str, Any]]:
    """Drafts to send, and letters with their writer due within three weeks (due at the end
    of the due date, the provider's date: docs/dev/time.md). One query."""
    user = request.user
    if not isinstance(user, User) or user.role != Role.APPLICANT:
        return []
    horizon = clock.provider_today() + timedelta(days=TODO_WINDOW_DAYS)
    waiting = (LetterStatus.DRAFT, LetterStatus.REQUESTED, LetterStatus.ACCEPTED)
    items: list[dict[str, Any]] = []
    for req in (
        letter_request_list(viewer=user)
        .filter(status__in=waiting, finalized_at__isnull=True)
        .order_by("due_date", "pk")
    ):
        url = reverse("letters:request-detail", args=[req.pk])
        due = clock.end_of_day(req.due_date, None)
        if req.status == LetterStatus.DRAFT:
            items.append(
                {
                    "due_at": due,
                    "title": _("Send your letter request to %(writer)s")
                    % {"writer": req.writer_name},
                    "detail": _("It is still a draft: the writer has not been asked yet."),
                    "action_url": url,
                    "action_label": _("Review and send"),
                    "kind": "letter-draft",
                }
            )
        elif req.due_date <= horizon:
            items.append(
                {
                    "due_at": due,
                    "title": _("Letter from %(writer)s") % {"writer": req.writer_name},
                    "detail": _("Not uploaded yet. A friendly reminder helps."),
                    "action_url": url,
                    "action_label": _("Open the request"),
                    "kind": "letter",
                }
            )
    return items


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not isinstance(user, User):
        return []
    requests = letter_request_list(viewer=user)
    if user.role == Role.APPLICANT:
        items = letter_request_views(viewer=user, requests=requests[:PANEL_SIZE])
        return [
            {
                "template": "letters/panels/applicant.html",
                "order": 40,
                "items": items,
                "total": requests.count() if len(items) == PANEL_SIZE else len(items),
            }
        ]
    if user.role == Role.PRECEPTOR:
        items = [
            i for i in letter_request_views(viewer=user, requests=requests) if i.writer_can_act
        ]
        return [{"template": "letters/panels/writer.html", "order": 30, "items": items}]
    if user.role == Role.COORDINATOR:
        shared = letter_request_views(
            viewer=user, requests=requests.filter(route_to_coordinators=True)[:PANEL_SIZE]
        )
        return [{"template": "letters/panels/coordinator.html", "order": 60, "items": shared}]
    return []
