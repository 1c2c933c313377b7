"""Periodic guides jobs (run by `run_periodic`). Each is idempotent and returns a count."""

from __future__ import annotations

from .services import article_views_flush, articles_publish_due


def guides_publish_due() -> int:
    """Scheduled articles whose time has come get the `published` status."""
    return articles_publish_due()


def guides_flush_views() -> int:
    """Move read counts from the cache to the database (for "popular articles")."""
    return article_views_flush()


JOBS = [guides_publish_due, guides_flush_views]
