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

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_other_roles(applicant: Any, preceptor: Any, coordinator: Any, rf: Any) -> None:
    request = rf.get("/dashboard/")
    request.user = preceptor
    assert panels(request) == []
    request.user = applicant  # the next-step guide is rotations' panel now
    assert panels(request) == []
    request.user = coordinator
    [panel] = panels(request)
    assert panel["counts"]["published"] == 7


def test_dashboard_shows_the_panel(applicant_client: Client) -> None:
    html = applicant_client.get(reverse("dashboard")).content.decode()
    assert "Next step" in html
    assert "/guides/choosing-specialty-through-rotations/" in html


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
