"""Public guides API: list/search and read published articles."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from matchway.api.pagination import MappedSequence, Pagination
from matchway.api.schemas import ErrorOut, ValidationErrorOut
from matchway.core.exceptions import NotFound
from matchway.core.links import absolute_url

from .models import Article
from .schemas import ArticleDetailOut, ArticleListParams, ArticleOut
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
        "url": absolute_url(article.get_absolute_url()),
        **extra,
    }


class ArticlePagination(Pagination):
    """The shared limit/offset paging plus a search suggestion."""

    class Output(Schema):
        items: list[Any]
        count: int
        suggestion: str | None = Field(
            None, description="A corrected query when words look misspelled."
        )

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["suggestion"] = getattr(queryset, "suggestion", None)
        return page


class _Articles(MappedSequence):
    suggestion: str | None = None


@router.get(
    "/guides",
    response={200: list[ArticleOut], 422: ValidationErrorOut},
    auth=None,
    operation_id="guides_article_list",
    summary="List or search published guides",
)
@paginate(ArticlePagination)
def article_list(request: HttpRequest, filters: Query[ArticleListParams]) -> _Articles:
    """Newest first; with `q`, ranked: title matches above tags, summary, then body."""
    query = " ".join(filters.q.split())
    if not query:
        return _Articles(article_list_visible(), _out)
    found, by_slug = article_search(query)
    articles = _Articles(
        found.hits,
        lambda hit: _out(by_slug[hit.document.key], score=hit.score, excerpt_html=hit.excerpt_html),
    )
    articles.suggestion = found.suggestion
    return articles


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
