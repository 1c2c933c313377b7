from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from matchway.guides.models import ArticleStatus

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_list_is_public_newest_first_and_paginated(anonymous: Client) -> None:
    newest = ArticleFactory(title="Fresh one")
    ArticleFactory(status=ArticleStatus.DRAFT, published_at=None, title="Hidden")
    body = anonymous.get("/api/v1/guides", {"limit": 3}).json()
    assert body["count"] == 8
    assert len(body["items"]) == 3
    first = body["items"][0]
    assert first["slug"] == newest.slug
    assert first["url"] == f"{settings.SITE_URL}/guides/{newest.slug}/"
    assert first["score"] is None
    assert set(first) >= {"slug", "title", "summary", "tags", "published_at", "url", "score"}
    rest = anonymous.get("/api/v1/guides", {"limit": 10, "offset": 3}).json()
    assert len(rest["items"]) == 5
    assert "Hidden" not in {i["title"] for i in body["items"] + rest["items"]}


def test_search_ranks_title_first_and_highlights(anonymous: Client) -> None:
    body = anonymous.get("/api/v1/guides", {"q": "personal statement"}).json()
    items = body["items"]
    assert items[0]["slug"] == "personal-statement-tips-img"
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert "<mark>" in items[0]["excerpt_html"]
    assert body["count"] == len(items)
    assert "personal statement" in items[0]["tags"]


def test_search_suggests_on_typos(anonymous: Client) -> None:
    body = anonymous.get("/api/v1/guides", {"q": "situational awarness"}).json()
    assert body["suggestion"] == "situational awareness"
    none = anonymous.get("/api/v1/guides", {"q": "zzzqqq"}).json()
    assert none == {"items": [], "count": 0, "suggestion": None}


def test_get_returns_sanitized_html_toc_and_facts(anonymous: Client) -> None:
    body = anonymous.get("/api/v1/guides/personal-statement-tips-img").json()
    assert body["title"] == "Personal statement tips for IMGs"
    assert "28,000" in body["html"]
    assert body["toc"][0]["level"] == 2
    assert body["facts"][0]["path"] == "personal_statement.max_chars"
    assert body["reading_minutes"] >= 4


def test_get_hidden_or_missing_is_404(anonymous: Client) -> None:
    ArticleFactory(
        slug="later",
        status=ArticleStatus.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(hours=1),
    )
    for slug in ("later", "nope"):
        response = anonymous.get(f"/api/v1/guides/{slug}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_query_validation(anonymous: Client) -> None:
    response = anonymous.get("/api/v1/guides", {"q": "x" * 201})
    assert response.status_code == 422
    assert anonymous.get("/api/v1/guides", {"limit": 0}).status_code == 422
