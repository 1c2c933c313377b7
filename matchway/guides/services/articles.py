"""Guides services: write articles, keep the render cache fresh, sync the bundled content."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import ValidationFailed
from matchway.core.locking import lock_for_update

from ..loader import ArticleSource, read_articles
from ..models import Article, ArticleStatus, Tag
from ..rendering import Rendered, content_hash, render_markdown

logger = logging.getLogger(__name__)

MSG_EDIT_CONFLICT = _(
    "Someone else saved this article while you were editing. Your text is kept below; "
    "open the article again in another tab to compare, then save."
)
MSG_SLUG_TAKEN = _("Another article already uses this address.")
MSG_SCHEDULE_IN_PAST = _("Pick a future date and time to schedule, or publish now.")
MSG_SCHEDULE_MISSING = _("Pick the date and time to publish.")

TITLES_CACHE_KEY = "guides:titles:v1"
VIEWS_CACHE_KEY = "guides:views:{pk}"
RESERVED_SLUGS = frozenset({"feed", "tag", "manage", "preview", "new", "search"})


@dataclass(frozen=True)
class ArticleInput:
    title: str
    summary: str
    body: str
    tags: Sequence[str] = ()
    slug: str = ""
    status: str = ArticleStatus.DRAFT
    publish_at: dt.datetime | None = None


@dataclass
class SyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def guides_cache_clear() -> None:
    """Forget cached titles (guide_link) after any change that readers could see."""
    cache.delete(TITLES_CACHE_KEY)


def tag_slug(name: str) -> str:
    return slugify(name)[:60] or "tag"


def tags_ensure(names: Iterable[str]) -> list[Tag]:
    """Existing tags by name (case-insensitive) or new ones, in the given order."""
    result: list[Tag] = []
    for raw in dict.fromkeys(n.strip() for n in names if n.strip()):
        name = raw[:60]
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.filter(slug=tag_slug(name)).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=tag_slug(name))
        result.append(tag)
    return result


def source_hash(title: str, summary: str, body: str, tags: Iterable[str]) -> str:
    """Fingerprint of an article's text as last synced from a content file (see the
    0002 data migration, which uses the same formula)."""
    digest = hashlib.sha256()
    for part in (title, summary, body, ",".join(sorted(tags))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def article_render(article: Article) -> Rendered:
    """The article's rendered body, from the row cache when it is still valid.

    Valid means the stored `content_hash` matches the body, the season-facts file and the
    renderer version. Otherwise render now and store it with a single UPDATE (concurrent
    refreshes write the same result, so no lock is needed). Never raises for bad content.
    """
    expected = content_hash(article.body)
    if article.content_hash == expected and article.rendered_html:
        return Rendered(
            html=article.rendered_html,
            toc=list(article.rendered_toc or []),
            facts=list(article.rendered_facts or []),
            text=article.rendered_text,
        )
    rendered = render_markdown(article.body)
    article.content_hash = expected
    article.rendered_html = rendered.html
    article.rendered_toc = rendered.toc
    article.rendered_facts = rendered.facts
    article.rendered_text = rendered.text
    if article.pk:
        Article.objects.filter(pk=article.pk).update(
            content_hash=expected,
            rendered_html=rendered.html,
            rendered_toc=rendered.toc,
            rendered_facts=rendered.facts,
            rendered_text=rendered.text,
        )
    return rendered


def _apply_schedule(
    article: Article, status: str, publish_at: dt.datetime | None, now: dt.datetime
) -> None:
    if status == ArticleStatus.SCHEDULED:
        if publish_at is None:
            raise ValidationFailed(errors={"publish_at": [str(MSG_SCHEDULE_MISSING)]})
        if publish_at <= now:
            raise ValidationFailed(errors={"publish_at": [str(MSG_SCHEDULE_IN_PAST)]})
        article.published_at = publish_at
    elif status == ArticleStatus.PUBLISHED:
        if publish_at is not None and publish_at <= now:
            article.published_at = publish_at  # back-dating is allowed
        elif not (article.published_at and article.published_at <= now):
            article.published_at = now
    article.status = status


def _visibility_action(before: tuple[str, bool], article: Article, now: dt.datetime) -> str:
    was_status, was_visible = before
    if article.status == ArticleStatus.SCHEDULED and was_status != ArticleStatus.SCHEDULED:
        return "article.scheduled"
    if article.is_visible(now) and not was_visible:
        return "article.published"
    if was_visible and not article.is_visible(now):
        return "article.unpublished"
    return ""


def _clean_slug(data: ArticleInput, fallback: str) -> str:
    slug = slugify(data.slug or data.title)[:120].strip("-") or fallback
    if slug in RESERVED_SLUGS:
        raise ValidationFailed(errors={"slug": [str(MSG_SLUG_TAKEN)]})
    return slug


def article_create(
    *, actor: Any, data: ArticleInput, request: HttpRequest | None = None
) -> Article:
    """Create an article (any status) with its tags; render it; audit.

    Runs its own transaction. Raises ValidationFailed for a taken/reserved slug or a bad
    schedule.
    """
    now = clock.now()
    article = Article(
        slug=_clean_slug(data, "article"),
        title=data.title.strip(),
        summary=data.summary.strip(),
        body=data.body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        updated_at=now,
    )
    _apply_schedule(article, data.status, data.publish_at, now)
    try:
        with transaction.atomic():
            article.save()
            article.tags.set(tags_ensure(data.tags))
            audit_record(
                actor=actor,
                action="article.created",
                target=article,
                data={"status": article.status, "slug": article.slug},
                request=request,
            )
    except IntegrityError as exc:
        raise ValidationFailed(errors={"slug": [str(MSG_SLUG_TAKEN)]}) from exc
    article_render(article)
    guides_cache_clear()
    return article


def article_update(
    *,
    actor: Any,
    article: Article,
    data: ArticleInput,
    expected_revision: int,
    request: HttpRequest | None = None,
) -> Article:
    """Save an edit if nobody else saved since `expected_revision` (optimistic locking).

    Runs its own transaction and locks the article row. Raises ValidationFailed with
    MSG_EDIT_CONFLICT on a lost update, or field errors for slug/schedule problems. "Last
    updated" moves only when the title, summary or body changes.
    """
    now = clock.now()
    try:
        with transaction.atomic():
            fresh = lock_for_update(Article, [article.pk]).get(article.pk)
            if fresh is None:
                raise ValidationFailed(str(MSG_EDIT_CONFLICT))
            if fresh.revision != expected_revision:
                raise ValidationFailed(str(MSG_EDIT_CONFLICT))
            before = (fresh.status, fresh.is_visible(now))
            old_tags = sorted(fresh.tags.values_list("name", flat=True))
            text_changed = (fresh.title, fresh.summary, fresh.body) != (
                data.title.strip(),
                data.summary.strip(),
                data.body,
            )
            # An empty slug keeps the address: published links must not move by accident.
            fresh.slug = _clean_slug(data, fresh.slug) if data.slug else fresh.slug
            fresh.title = data.title.strip()
            fresh.summary = data.summary.strip()
            fresh.body = data.body
            _apply_schedule(fresh, data.status, data.publish_at, now)
            if text_changed:
                fresh.updated_at = now
            fresh.revision = F("revision") + 1
            fresh.save()
            fresh.refresh_from_db(fields=["revision"])
            tags = tags_ensure(data.tags)
            fresh.tags.set(tags)
            new_tags = sorted(t.name for t in tags)
            changes = {
                "text_changed": text_changed,
                "status": fresh.status,
                "tags": new_tags if new_tags != old_tags else None,
            }
            audit_record(
                actor=actor,
                action="article.updated",
                target=fresh,
                data={k: v for k, v in changes.items() if v is not None},
                request=request,
            )
            action = _visibility_action(before, fresh, now)
            if action:
                audit_record(
                    actor=actor,
                    action=action,
                    target=fresh,
                    data={"published_at": fresh.published_at.isoformat()}
                    if fresh.published_at
                    else {},
                    request=request,
                )
    except IntegrityError as exc:
        raise ValidationFailed(errors={"slug": [str(MSG_SLUG_TAKEN)]}) from exc
    article_render(fresh)
    guides_cache_clear()
    return fresh


def articles_publish_due(now: dt.datetime | None = None) -> int:
    """Flip scheduled articles whose time has come to `published` (compare-and-set).

    Visibility never waits for this (queries check `published_at`), so it only tidies the
    status column and the title cache. Idempotent.
    """
    moment = now or clock.now()
    due = Article.objects.filter(status=ArticleStatus.SCHEDULED, published_at__lte=moment)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    flipped = Article.objects.filter(pk__in=ids, status=ArticleStatus.SCHEDULED).update(
        status=ArticleStatus.PUBLISHED
    )
    for article in Article.objects.filter(pk__in=ids):
        audit_record(actor=None, action="article.published", target=article, data={"by": "job"})
    guides_cache_clear()
    return flipped


def article_view_record(article: Article) -> None:
    """Count a read in the cache; `article_views_flush` moves counts to the row later, so a
    page view never writes to the database."""
    key = VIEWS_CACHE_KEY.format(pk=article.pk)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)


def article_views_flush() -> int:
    """Add cached view counts to `Article.view_count`. Safe to run concurrently: each
    count is taken out of the cache with `decr` before it is written."""
    ids = list(Article.objects.values_list("pk", flat=True))
    keys = {VIEWS_CACHE_KEY.format(pk=pk): pk for pk in ids}
    moved = 0
    for key, count in cache.get_many(list(keys)).items():
        if not count:
            continue
        try:
            cache.decr(key, count)
        except ValueError:
            continue
        Article.objects.filter(pk=keys[key]).update(view_count=F("view_count") + count)
        moved += count
    return moved


def _source_matches(article: Article, source: ArticleSource, tz: str) -> bool:
    tags = sorted(article.tags.values_list("name", flat=True))
    return (
        article.title == source.title
        and article.summary == source.summary
        and article.body == source.body
        and tags == sorted(source.tags)
        and article.published_at == source.published_at(tz)
    )


def articles_sync_from_files(
    *, directory: Path | None = None, force: bool = False, dry_run: bool = False
) -> SyncResult:
    """Create or update articles from `content/*.md` (the `load_guides` command).

    Idempotent. An article edited in the app since its last sync (its text no longer matches
    `source_hash`) is skipped unless `force`, so a re-sync never silently discards a
    coordinator's edit. New articles are published; existing ones keep their status.
    """
    tz = settings.TIME_ZONE
    result = SyncResult()
    for source in read_articles(directory):
        article = Article.objects.filter(slug=source.slug).prefetch_related("tags").first()
        if article is None:
            result.created.append(source.slug)
            if not dry_run:
                _create_from_source(source, tz)
            continue
        if _source_matches(article, source, tz):
            result.unchanged.append(source.slug)
            continue
        current = source_hash(
            article.title, article.summary, article.body, [t.name for t in article.tags.all()]
        )
        if article.source_hash and current != article.source_hash and not force:
            result.skipped.append(source.slug)
            continue
        result.updated.append(source.slug)
        if not dry_run:
            _update_from_source(article, source, tz)
    if not dry_run and (result.created or result.updated):
        guides_cache_clear()
    return result


def _create_from_source(source: ArticleSource, tz: str) -> None:
    with transaction.atomic():
        article = Article.objects.create(
            slug=source.slug,
            title=source.title,
            summary=source.summary,
            body=source.body,
            status=ArticleStatus.PUBLISHED,
            published_at=source.published_at(tz),
            updated_at=source.updated_at(tz),
            source_hash=source_hash(source.title, source.summary, source.body, source.tags),
        )
        article.tags.set(tags_ensure(source.tags))
        audit_record(actor=None, action="article.created", target=article, data={"by": "sync"})
    article_render(article)


def _update_from_source(article: Article, source: ArticleSource, tz: str) -> None:
    with transaction.atomic():
        article.title = source.title
        article.summary = source.summary
        article.body = source.body
        article.published_at = source.published_at(tz)
        article.updated_at = max(source.updated_at(tz), article.published_at)
        article.source_hash = source_hash(source.title, source.summary, source.body, source.tags)
        article.revision = F("revision") + 1
        article.save()
        article.refresh_from_db(fields=["revision"])
        article.tags.set(tags_ensure(source.tags))
        audit_record(actor=None, action="article.updated", target=article, data={"by": "sync"})
    article_render(article)
