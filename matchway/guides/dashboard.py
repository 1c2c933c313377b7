"""Guide panels: a "next step" guide on the dashboard and the newest guides on the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matchway.rotations.models import Application, ApplicationStatus

from .models import Article
from .search import summary_excerpt
from .selectors import article_list_visible, article_popular, article_status_counts, is_editor

NO_ROTATION_YET = ["choosing-specialty-through-rotations"]
ON_ROTATION = ["situational-awareness-usce", "asking-for-letters-of-recommendation"]
CLOSED = {
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DECLINED,
    ApplicationStatus.EXPIRED,
    ApplicationStatus.CANCELLED,
}
AFTER_ROTATION = ["asking-for-letters-of-recommendation", "strong-eras-application-img"]
# Right after the rotations panel (10): the guide is the applicant's next step.
PANEL_ORDER = 15
HOME_LATEST = 3


def next_step_slugs(statuses: set[str]) -> tuple[list[str], Any]:
    """Which guides help most now, from the statuses of the applicant's applications.

    Returns (slugs, reason). No slugs means "pick something generally useful".
    """
    if statuses & {ApplicationStatus.IN_PROGRESS, ApplicationStatus.CONFIRMED}:
        return ON_ROTATION, _("For your rotation")
    if ApplicationStatus.COMPLETED in statuses:
        return AFTER_ROTATION, _("After your rotation")
    if not statuses - CLOSED:
        return NO_ROTATION_YET, _("Before you book a rotation")
    return [], _("Worth reading next")


def _articles_for(slugs: list[str]) -> list[Article]:
    found = {a.slug: a for a in article_list_visible().filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    if is_editor(user):
        return [
            {
                "template": "guides/panels/coordinator.html",
                "order": 70,
                "counts": article_status_counts(),
            }
        ]
    if getattr(user, "role", "") != "applicant":
        return []
    statuses = set(
        Application.objects.filter(applicant=user).values_list("status", flat=True).distinct()
    )
    slugs, reason = next_step_slugs(statuses)
    articles = _articles_for(slugs) if slugs else []
    if not articles:
        articles = article_popular(limit=1)
    if not articles:
        return []
    return [
        {
            "template": "guides/panels/next_step.html",
            "order": PANEL_ORDER,
            "reason": reason,
            "cards": [{"article": a, "excerpt": summary_excerpt(a.summary)} for a in articles],
        }
    ]


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    articles = list(article_list_visible()[:HOME_LATEST])
    if not articles:
        return []
    return [
        {
            "template": "guides/panels/latest.html",
            "order": PANEL_ORDER,
            "cards": [{"article": a, "excerpt": summary_excerpt(a.summary)} for a in articles],
        }
    ]
