from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Article, Tag
from .services import guides_cache_clear


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    """For operators; coordinators edit in the app (live preview, audit, locking)."""

    list_display = ["title", "status", "published_at", "updated_at", "view_count"]
    list_filter = ["status", "tags"]
    search_fields = ["title", "summary", "slug"]
    readonly_fields = [
        "revision",
        "word_count",
        "view_count",
        "source_hash",
        "content_hash",
        "rendered_html",
        "rendered_toc",
        "rendered_facts",
        "rendered_text",
    ]
    filter_horizontal = ["tags"]

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        guides_cache_clear()  # guide_link titles; the body re-renders lazily (content_hash)
