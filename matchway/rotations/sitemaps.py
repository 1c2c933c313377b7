"""Sitemap of published rotation pages (registered from RotationsConfig.ready)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models import Rotation


class RotationSitemap(Sitemap[Rotation]):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Rotation]:
        return Rotation.objects.filter(published=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Rotation) -> datetime:
        return item.updated_at

    def location(self, item: Rotation) -> str:
        return item.get_absolute_url()


class CatalogSitemap(Sitemap[str]):
    changefreq = "daily"
    priority = 0.9

    def items(self) -> list[str]:
        return ["rotations:catalog"]

    def location(self, item: str) -> str:
        return reverse(item)


def register_sitemaps() -> None:
    from matchway.core.sitemaps import register

    register("rotations-catalog", CatalogSitemap)
    register("rotations", RotationSitemap)
