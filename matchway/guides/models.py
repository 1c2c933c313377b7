"""Guides: Markdown articles with tags, rendered once to sanitized HTML and cached on the row."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.models import TimeStampedModel

WORDS_PER_MINUTE = 220
_URL_IN_MARKDOWN = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def count_words(markdown: str) -> int:
    """Words a reader reads: link targets and bare URLs do not count."""
    return len(_WORD.findall(_URL_IN_MARKDOWN.sub("]", markdown)))


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("guides:tag", args=[self.slug])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(models.QuerySet["Article"]):
    def visible(self, now: datetime | None = None) -> ArticleQuerySet:
        """What readers see: published, or scheduled and due (checked at query time, so a
        scheduled article appears on time even if the periodic job has not run yet)."""
        return self.filter(
            status__in=[ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED],
            published_at__lte=now or clock.now(),
        )

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-pk")


class Article(TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=300)
    body = models.TextField(_("body (Markdown)"))
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True, verbose_name=_("tags"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_articles",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # "Last updated" as readers understand it: set when the text changes, not on every
    # row write (cache refreshes and view counters must not move it).
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    # Optimistic locking for the editor: two coordinators cannot silently overwrite each other.
    revision = models.PositiveIntegerField(default=1)
    word_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    # Text fingerprint as last synced from content/<slug>.md; load_guides skips articles
    # edited in the app since then (see services.articles_sync_from_files).
    source_hash = models.CharField(max_length=64, blank=True)
    # Render cache. `content_hash` covers the body, the season-facts file fingerprint and the
    # renderer version; a mismatch means the cached fields are stale (see rendering.py).
    content_hash = models.CharField(max_length=64, blank=True)
    rendered_html = models.TextField(blank=True)
    rendered_toc = models.JSONField(default=list, blank=True)
    rendered_facts = models.JSONField(default=list, blank=True)
    rendered_text = models.TextField(blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="guides_article_published_has_date",
            )
        ]
        verbose_name = _("article")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.word_count = count_words(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "word_count"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("guides:detail", args=[self.slug])

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def is_visible(self, now: datetime | None = None) -> bool:
        return (
            self.status in (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= (now or clock.now())
        )
