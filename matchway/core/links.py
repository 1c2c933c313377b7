"""Absolute links for places without a request: emails, QR codes, feeds, calendars, the API.

Every absolute URL is built from `settings.SITE_URL` (never from the Host header, which a
client controls, nor from the Sites table).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse


def absolute_url(
    path_or_url_name: str,
    *args: Any,
    query: dict[str, Any] | None = None,
    **kwargs: Any,
) -> str:
    """`SITE_URL` + a path ("/dashboard/") or a reversed URL name ("documents:vault", pk).

    An already absolute URL ("https://…") is returned as is, so callers may pass
    `obj.get_absolute_url()` without knowing what it returns. `query` adds a query string.
    """
    target = path_or_url_name
    if target.startswith(("http://", "https://")):
        url = target
    elif target.startswith("/"):
        url = site_root() + target
    else:
        url = site_root() + reverse(target, args=args or None, kwargs=kwargs or None)
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    return url


def site_root() -> str:
    """SITE_URL without a trailing slash, e.g. "https://matchway.example"."""
    return str(settings.SITE_URL).rstrip("/")


def site_host() -> str:
    """The host (and port) of SITE_URL, e.g. "matchway.example"."""
    return urlsplit(site_root()).netloc
