"""A fixed-window, per-IP rate limit for the writer-link pages, kept in the cache.

The cache is shared across processes in production (Redis), so the limit holds behind a
load balancer. Links carry 256 random bits and cannot be guessed; the limit stops scanners
and scripted hammering of a leaked link, and keeps failed lookups cheap.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matchway.core.http import client_ip

from . import conf


def _key(ip: str, window: int) -> str:
    bucket = int(time.time()) // max(1, window)
    digest = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return f"letters:writer-link:{digest}:{bucket}"


def hit(request: HttpRequest) -> bool:
    """Count one request from this IP; False once the window's budget is spent."""
    limit, window = conf.token_rate_limit()
    key = _key(client_ip(request) or "unknown", window)
    # add() is atomic and only sets a missing key, so concurrent first hits do not reset it.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hit(request):
            _limit, window = conf.token_rate_limit()
            response = render(request, "letters/write_rate_limited.html", status=429)
            response["Retry-After"] = str(window)
            response["Cache-Control"] = "no-store"
            return response
        return view(request, *args, **kwargs)

    return wrapper
