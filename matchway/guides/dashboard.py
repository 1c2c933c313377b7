"""Guide panels: the editors' counts on the dashboard and the newest guides on the home page.

(The applicant's "next step" guide is picked by rotations, which knows their bookings, from
`selectors.article_for_next_step`.)
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .search import summary_excerpt
from .selectors import article_list_visible, article_status_counts, is_editor

HOME_LATEST = 3
# The home page lists the newest guides right after the rotations panel (10).
HOME_ORDER = 15


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    if not is_editor(request.user):
        return []
    return [
        {
            "template": "guides/panels/coordinator.html",
            "order": 70,
            "counts": article_status_counts(),
        }
    ]


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    articles = list(article_list_visible()[:HOME_LATEST])
    if not articles:
        return []
    return [
        {
            "template": "guides/panels/latest.html",
            "order": HOME_ORDER,
            "cards": [{"article": a, "excerpt": summary_excerpt(a.summary)} for a in articles],
        }
    ]
