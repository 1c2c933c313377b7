"""Dashboard panels: applicants see their letters, writers their requests, coordinators
what was shared with them. Each panel costs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from matchway.accounts.models import Role, User

from .selectors import letter_request_list, letter_request_views

PANEL_SIZE = 5


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
