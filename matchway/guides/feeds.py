"""Atom feed of the newest guides, with absolute links built from SITE_URL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from matchway.core.links import absolute_url

from .models import Article
from .selectors import article_list_visible

FEED_SIZE = 20


class GuidesFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = _("Matchway guides")
    subtitle = _(
        "Practical guides for international medical graduates on the road to a US residency."
    )

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=900"
        return response

    def link(self) -> str:
        return absolute_url("guides:index")

    def feed_url(self) -> str:
        return absolute_url("guides:feed")

    def feed_guid(self) -> str:
        return self.feed_url()

    def author_name(self) -> str:
        return str(settings.SITE_NAME)

    def items(self) -> list[Article]:
        return list(article_list_visible().select_related("author")[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return (item.author.full_name if item.author else "") or str(settings.SITE_NAME)

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]
