from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.guides.dashboard import home_panels, panels
from matchway.guides.models import Article, ArticleStatus
from matchway.guides.services import ArticleInput, article_create
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _slugs(request_user: Any, rf: Any) -> list[str]:
    request = rf.get("/dashboard/")
    request.user = request_user
    result = panels(request)
    return [c["article"].slug for p in result for c in p.get("cards", [])]


def test_no_application_points_to_choosing_a_specialty(applicant: Any, rf: Any) -> None:
    assert _slugs(applicant, rf) == ["choosing-specialty-through-rotations"]


def test_only_closed_applications_count_as_none(applicant: Any, rf: Any) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.WITHDRAWN)
    assert _slugs(applicant, rf) == ["choosing-specialty-through-rotations"]


@pytest.mark.parametrize("status", [ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROGRESS])
def test_rotation_under_way_points_to_awareness_and_letters(
    applicant: Any, rf: Any, status: str
) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.WITHDRAWN)
    ApplicationFactory(applicant=applicant, status=status)
    assert _slugs(applicant, rf) == [
        "situational-awareness-usce",
        "asking-for-letters-of-recommendation",
    ]


def test_pending_application_gets_a_generic_pick(applicant: Any, rf: Any) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.SUBMITTED)
    Article.objects.filter(slug="soap-for-imgs").update(view_count=99)
    assert _slugs(applicant, rf) == ["soap-for-imgs"]


def test_missing_guide_falls_back_to_a_generic_pick(applicant: Any, rf: Any) -> None:
    Article.objects.filter(slug="choosing-specialty-through-rotations").update(
        status=ArticleStatus.DRAFT
    )
    slugs = _slugs(applicant, rf)
    assert len(slugs) == 1
    assert slugs != ["choosing-specialty-through-rotations"]


def test_other_roles(preceptor: Any, coordinator: Any, rf: Any) -> None:
    request = rf.get("/dashboard/")
    request.user = preceptor
    assert panels(request) == []
    request.user = coordinator
    [panel] = panels(request)
    assert panel["counts"]["published"] == 7


def test_dashboard_shows_the_panel(applicant_client: Client) -> None:
    html = applicant_client.get(reverse("dashboard")).content.decode()
    assert "Next step" in html
    assert "/guides/choosing-specialty-through-rotations/" in html


def test_dashboard_panel_query_count(
    applicant: Any, rf: Any, django_assert_num_queries: Any
) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.IN_PROGRESS)
    request = rf.get("/dashboard/")
    request.user = applicant
    with django_assert_num_queries(3):  # statuses, articles, their tags
        panels(request)


def test_home_shows_three_newest(anonymous: Client, rf: Any) -> None:
    newest = ArticleFactory(title="The very newest guide")
    request = rf.get("/")
    [panel] = home_panels(request)
    assert len(panel["cards"]) == 3
    assert panel["cards"][0]["article"] == newest
    html = anonymous.get("/").content.decode()
    assert "New in the guides" in html
    assert "The very newest guide" in html


# --- guide_link -----------------------------------------------------------------------


def _link(slug: str, label: str = "") -> str:
    template = Template("{% load guides %}{% guide_link slug label %}")
    return template.render(Context({"slug": slug, "label": label}))


def test_guide_link_renders_cached_titles(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):  # titles, next scheduled time; then cached
        assert _link("soap-for-imgs") == (
            '<a href="/guides/soap-for-imgs/" class="guide-link">'
            "How SOAP works for IMGs and how to prepare</a>"
        )
    with django_assert_num_queries(0):
        assert "Read this" in _link("soap-for-imgs", "Read this")
        assert _link("no-such-guide") == ""


def test_guide_link_hides_drafts_and_follows_edits(coordinator: Any) -> None:
    draft = article_create(
        actor=coordinator,
        data=ArticleInput(title="Draft piece", summary="S", body="B", status="draft"),
    )
    assert _link(draft.slug) == ""
    Article.objects.filter(pk=draft.pk).update(status="published", published_at=timezone.now())
    assert _link(draft.slug) == ""  # still cached
    from matchway.guides.services import guides_cache_clear

    guides_cache_clear()
    assert "Draft piece" in _link(draft.slug)


def test_guide_link_cache_expires_for_scheduled_articles() -> None:
    from django.core.cache import cache

    from matchway.guides.selectors import guide_titles
    from matchway.guides.services import TITLES_CACHE_KEY

    ArticleFactory(status=ArticleStatus.SCHEDULED,
                   published_at=timezone.now() + dt.timedelta(seconds=30))  # fmt: skip
    guide_titles()
    # locmem stores the expiry; the entry must not outlive the publication time.
    expiry = cache._expire_info[cache.make_and_validate_key(TITLES_CACHE_KEY)]  # type: ignore[attr-defined]
    assert expiry - timezone.now().timestamp() <= 32
