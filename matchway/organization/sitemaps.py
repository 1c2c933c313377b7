"""Sitemap entries for the published policy pages (current versions only)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.models import Site
from django.contrib.sites.requests import RequestSite
from django.urls import reverse

from matchway.core.links import site_root

from .models import PolicyKind, PolicyPage
from .selectors import policy_current


class PolicySitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"
    priority = 0.3

    def __init__(self) -> None:
        parts = urlsplit(site_root())
        self.protocol = parts.scheme or "https"
        self._domain = parts.netloc

    def get_domain(self, site: Site | RequestSite | None = None) -> str:
        return self._domain or super().get_domain(site)

    def items(self) -> list[PolicyPage]:
        pages = (policy_current(kind) for kind in PolicyKind.values)
        return [page for page in pages if page is not None]

    def location(self, item: PolicyPage) -> str:
        return reverse("organization:policy", kwargs={"kind": item.kind})

    def lastmod(self, item: PolicyPage) -> datetime:
        return item.effective_at
