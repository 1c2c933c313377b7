"""`{% guide_link "slug" %}`: a link to a published guide, or nothing if it is not there.

Pages in other apps use it to point at the article that helps at that moment. It must stay
cheap: titles come from one cached {slug: title} map (selectors.guide_titles), invalidated
whenever an article changes and expiring in time for the next scheduled publication.
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _title_for(slug: str) -> str | None:
    from matchway.guides.selectors import guide_titles

    return guide_titles().get(slug)


@register.simple_tag
def guide_link(slug: str, label: str = "") -> SafeString | str:
    title = _title_for(slug)
    if title is None:
        return ""
    try:
        url = reverse("guides:detail", args=[slug])
    except NoReverseMatch:
        return ""
    return format_html('<a href="{}" class="guide-link">{}</a>', url, label or title)
