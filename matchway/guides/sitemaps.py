"""Sitemap entries for the guides: the index, every visible article and every used tag."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.models import Site
from django.contrib.sites.requests import RequestSite
from django.urls import reverse

from matchway.core.links import site_root

from .models import Article, Tag
from .selectors import tag_list_with_counts


class GuidesSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"

    def __init__(self) -> None:
        # Absolute URLs come from SITE_URL, like feeds and emails, not from the Sites table.
        parts = urlsplit(site_root())
        self.protocol = parts.scheme or "https"
        self._domain = parts.netloc

    def get_domain(self, site: Site | RequestSite | None = None) -> str:
        return self._domain or super().get_domain(site)

    def items(self) -> list[object]:
        articles: list[object] = list(
            Article.objects.visible().only("slug", "updated_at", "published_at").newest_first()
        )
        return ["index", *articles, *tag_list_with_counts()]

    def location(self, item: object) -> str:
        if isinstance(item, Article | Tag):
            return item.get_absolute_url()
        return reverse("guides:index")

    def lastmod(self, item: object) -> datetime | None:
        if isinstance(item, Article):
            return item.updated_at
        return None

    def priority(self, item: object) -> float:
        return 0.8 if isinstance(item, Article) else 0.5
