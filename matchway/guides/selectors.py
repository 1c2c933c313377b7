"""Guides selectors: what a reader or a coordinator may see, with prefetching done here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from matchway.core import clock

from .models import Article, ArticleStatus, Tag
from .search import SearchDocument, SearchResult, search, summary_excerpt
from .services import TITLES_CACHE_KEY, article_render

# How long guide_link may serve a cached title list (also capped by the next scheduled
# publication, so a scheduled guide's links appear on time).
TITLES_TTL_SECONDS = 300

# Tags in name order, fetched once per page of articles.
_TAGS = Prefetch("tags", queryset=Tag.objects.order_by("name"))


def is_editor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role == "coordinator")


def article_list_visible(now: dt.datetime | None = None) -> QuerySet[Article]:
    """Published (or due) articles, newest first, with tags prefetched; no heavy columns."""
    return (
        Article.objects.visible(now)
        .newest_first()
        .defer("body", "rendered_html", "rendered_text", "rendered_toc", "rendered_facts")
        .prefetch_related(_TAGS)
    )


def article_list_for_tag(tag: Tag) -> QuerySet[Article]:
    return article_list_visible().filter(tags=tag)


def article_list_for_tag_names(names: list[str], limit: int = 5) -> list[Article]:
    """Published articles tagged with any of these names (case-insensitive), newest first;
    for the specialty pages ("Internal Medicine" tags the IM pages). One query."""
    wanted = Q()
    for name in {n.strip() for n in names if n.strip()}:
        wanted |= Q(tags__name__iexact=name)
    if not wanted:
        return []
    return list(
        Article.objects.visible()
        .newest_first()
        .filter(wanted)
        .distinct()
        .only("slug", "title", "summary", "published_at")[:limit]
    )


def article_list_manage(status: str = "") -> QuerySet[Article]:
    articles = (
        Article.objects.select_related("author")
        .defer("body", "rendered_html", "rendered_text", "rendered_toc", "rendered_facts")
        .prefetch_related(_TAGS)
        .order_by("-updated_at", "-pk")
    )
    if status in ArticleStatus.values:
        articles = articles.filter(status=status)
    return articles


def article_status_counts() -> dict[str, int]:
    rows = Article.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(ArticleStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def article_get_for_user(*, user: Any, slug: str) -> Article | None:
    """The article if `user` may read it: coordinators see every status, others only
    visible ones (hidden means 404 to the caller)."""
    articles = Article.objects.select_related("author").prefetch_related(_TAGS)
    if not is_editor(user):
        articles = articles.visible()
    return articles.filter(slug=slug).first()


def article_get_for_edit(pk: int) -> Article | None:
    return Article.objects.filter(pk=pk).prefetch_related(_TAGS).first()


def article_related(article: Article, limit: int = 3) -> list[Article]:
    """Visible articles sharing the most tags with `article`, then the newest."""
    tag_ids = [t.pk for t in article.tags.all()]
    if not tag_ids:
        return []
    return list(
        article_list_visible()
        .filter(tags__in=tag_ids)
        .exclude(pk=article.pk)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared", "-published_at", "-pk")[:limit]
    )


def article_adjacent(article: Article) -> tuple[Article | None, Article | None]:
    """(previous = older, next = newer) among visible articles, by publication time."""
    if not article.is_visible() or article.published_at is None:
        return None, None
    visible = Article.objects.visible().only("slug", "title", "published_at")
    at = article.published_at
    older = (
        visible.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=article.pk))
        .order_by("-published_at", "-pk")
        .first()
    )
    newer = (
        visible.filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=article.pk))
        .order_by("published_at", "pk")
        .first()
    )
    return older, newer


def article_popular(limit: int = 3, exclude: list[int] | None = None) -> list[Article]:
    articles = article_list_visible().order_by("-view_count", "-published_at", "-pk")
    if exclude:
        articles = articles.exclude(pk__in=exclude)
    return list(articles[:limit])


def tag_list_with_counts() -> list[Tag]:
    """Tags that have at least one visible article, with `n` = how many."""
    now = clock.now()
    visible = Q(
        articles__status__in=[ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED],
        articles__published_at__lte=now,
    )
    return list(
        Tag.objects.annotate(n=Count("articles", filter=visible, distinct=True))
        .filter(n__gt=0)
        .order_by("name")
    )


def guide_titles() -> dict[str, str]:
    """{slug: title} of visible articles, cached (guide_link runs on many pages)."""
    titles: dict[str, str] | None = cache.get(TITLES_CACHE_KEY)
    if titles is not None:
        return titles
    now = clock.now()
    titles = dict(Article.objects.visible(now).values_list("slug", "title"))
    next_due = (
        Article.objects.filter(status=ArticleStatus.SCHEDULED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    ttl = TITLES_TTL_SECONDS
    if next_due is not None:
        ttl = max(1, min(ttl, int((next_due - now).total_seconds()) + 1))
    cache.set(TITLES_CACHE_KEY, titles, ttl)
    return titles


# SearchDocuments keep their tokenized text (cached properties), so reusing them between
# requests saves most of the search time. Keyed by everything a document is built from.
_DOCUMENTS: dict[tuple[Any, ...], SearchDocument] = {}
_DOCUMENTS_MAX = 2000


def _document(article: Article) -> SearchDocument:
    text = article_render(article).text
    tags = tuple(t.name for t in article.tags.all())
    key = (article.pk, article.slug, article.title, article.summary, tags,
           article.published_at, article.content_hash)  # fmt: skip
    document = _DOCUMENTS.get(key)
    if document is None:
        if len(_DOCUMENTS) >= _DOCUMENTS_MAX:
            _DOCUMENTS.clear()
        document = SearchDocument(
            key=article.slug,
            title=article.title,
            summary=article.summary,
            body=text,
            tags=tags,
            published_at=article.published_at,
        )
        _DOCUMENTS[key] = document
    return document


def search_documents() -> tuple[list[SearchDocument], dict[str, Article]]:
    """Every visible article as a SearchDocument (render cache refreshed where stale)."""
    articles = list(
        Article.objects.visible().prefetch_related(_TAGS).order_by("-published_at", "-pk")
    )
    return [_document(a) for a in articles], {a.slug: a for a in articles}


def article_search(query: str) -> tuple[SearchResult, dict[str, Article]]:
    documents, by_slug = search_documents()
    return search(query, documents), by_slug


# --- the "next step" guide ----------------------------------------------------------------
# Which step an applicant is at is decided by rotations (it knows their bookings); guides
# only knows which articles help at each step.

STEP_BEFORE_BOOKING = "before_booking"
STEP_ON_ROTATION = "on_rotation"
STEP_AFTER_ROTATION = "after_rotation"
STEP_ANYTIME = "anytime"

NEXT_STEP_GUIDES: dict[str, tuple[list[str], Any]] = {
    STEP_BEFORE_BOOKING: (
        ["choosing-specialty-through-rotations"],
        _("Before you book a rotation"),
    ),
    STEP_ON_ROTATION: (
        ["situational-awareness-usce", "asking-for-letters-of-recommendation"],
        _("For your rotation"),
    ),
    STEP_AFTER_ROTATION: (
        ["asking-for-letters-of-recommendation", "strong-eras-application-img"],
        _("After your rotation"),
    ),
    STEP_ANYTIME: ([], _("Worth reading next")),
}


@dataclass
class NextStepGuide:
    reason: Any
    cards: list[dict[str, Any]]  # {"article": Article, "excerpt": str}


def article_for_next_step(*, step: str) -> NextStepGuide | None:
    """The guides that help most at `step` (one of NEXT_STEP_GUIDES), in their listed order;
    the most read guide when none of them is visible; None when nothing is published."""
    slugs, reason = NEXT_STEP_GUIDES.get(step, NEXT_STEP_GUIDES[STEP_ANYTIME])
    articles: list[Article] = []
    if slugs:
        found = {a.slug: a for a in article_list_visible().filter(slug__in=slugs)}
        articles = [found[slug] for slug in slugs if slug in found]
    if not articles:
        articles = article_popular(limit=1)
    if not articles:
        return None
    cards = [{"article": a, "excerpt": summary_excerpt(a.summary)} for a in articles]
    return NextStepGuide(reason=reason, cards=cards)
