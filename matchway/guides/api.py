"""Public guides API: list/search and read published articles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router

from matchway.api.pagination import PageParams, paginate
from matchway.api.schemas import ErrorOut
from matchway.core.exceptions import NotFound

from .models import Article
from .schemas import ArticleDetailOut, ArticleListParams, ArticlePageOut
from .selectors import article_list_visible, article_search
from .services import article_render

router = Router(tags=["guides"])


def _out(article: Article, **extra: Any) -> dict[str, Any]:
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "tags": [t.name for t in article.tags.all()],
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "url": f"{settings.SITE_URL}{article.get_absolute_url()}",
        **extra,
    }


@router.get(
    "/guides",
    response=ArticlePageOut,
    auth=None,
    operation_id="guides_article_list",
    summary="List or search published guides",
)
def article_list(
    request: HttpRequest,
    filters: Query[ArticleListParams],
    page: Query[PageParams],
) -> dict[str, Any]:
    """Newest first; with `q`, ranked: title matches above tags, summary, then body."""
    query = " ".join(filters.q.split())
    if not query:
        result = paginate(article_list_visible(), page)
        return {"items": [_out(a) for a in result["items"]], "count": result["count"]}
    found, by_slug = article_search(query)
    window = paginate(found.hits, page)
    return {
        "items": [
            _out(by_slug[hit.document.key], score=hit.score, excerpt_html=hit.excerpt_html)
            for hit in window["items"]
        ],
        "count": window["count"],
        "suggestion": found.suggestion,
    }


@router.get(
    "/guides/{slug}",
    response={200: ArticleDetailOut, 404: ErrorOut},
    auth=None,
    operation_id="guides_article_get",
    summary="Read a published guide",
)
def article_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    article = article_list_visible().defer(None).filter(slug=slug).first()
    if article is None:
        raise NotFound()
    rendered = article_render(article)
    return _out(
        article,
        html=rendered.html,
        toc=rendered.toc,
        facts=rendered.facts,
        reading_minutes=article.reading_minutes,
    )
