"""Guides services: write articles, keep the render cache fresh, sync the bundled content.

The code lives in `articles`; this package re-exports what other modules import.
"""

from .articles import (
    MSG_EDIT_CONFLICT,
    MSG_SCHEDULE_IN_PAST,
    MSG_SCHEDULE_MISSING,
    MSG_SLUG_TAKEN,
    RESERVED_SLUGS,
    TITLES_CACHE_KEY,
    ArticleInput,
    article_create,
    article_render,
    article_update,
    article_view_record,
    article_views_flush,
    articles_publish_due,
    articles_sync_from_files,
    guides_cache_clear,
    source_hash,
)

__all__ = [
    "MSG_EDIT_CONFLICT",
    "MSG_SCHEDULE_IN_PAST",
    "MSG_SCHEDULE_MISSING",
    "MSG_SLUG_TAKEN",
    "RESERVED_SLUGS",
    "TITLES_CACHE_KEY",
    "ArticleInput",
    "article_create",
    "article_render",
    "article_update",
    "article_view_record",
    "article_views_flush",
    "articles_publish_due",
    "articles_sync_from_files",
    "guides_cache_clear",
    "source_hash",
]
