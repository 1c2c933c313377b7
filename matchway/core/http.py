"""The one client-IP helper (audit log, allauth rate limits, the writer-link limiter)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, trusting `settings.TRUSTED_PROXY_COUNT` reverse proxies.

    With N trusted proxies each appends the address it saw to X-Forwarded-For, so the
    client is the Nth address from the right; anything further left was written by the
    client and is ignored. With 0 (the default) the header is ignored: REMOTE_ADDR only.
    Invalid addresses count as unknown (None), never as a string to key limits on.
    """
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) < trusted:
        return remote  # fewer hops than configured: the request did not come through them
    return _valid(forwarded[-trusted])
