"""Sitemap registry. Apps add entries with `register(name, sitemap)` from their AppConfig.ready."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticSitemap(Sitemap[str]):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["home"]

    def location(self, item: str) -> str:
        return reverse(item)


sitemaps: dict[str, type[Sitemap] | Sitemap] = {"static": StaticSitemap}  # type: ignore[type-arg]


def register(name: str, sitemap: type[Sitemap] | Sitemap) -> None:  # type: ignore[type-arg]
    sitemaps[name] = sitemap
