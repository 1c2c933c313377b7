"""The shared cache backend production uses (CACHE_URL=redis://…, docs/dev/caching.md).

Two additions to Django's backend: one client per pool (below) and the request's
read-ahead (`read_ahead`, further down).

Django's RedisCache builds a new `redis.Redis` client object for every cache call, which
costs more than the round trip itself on a fast page (each client copies ~170 response
callbacks). This subclass keeps one client per connection pool; the pool (and its
sockets) is what Django already shares, so behaviour is otherwise unchanged.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.core.signals import request_finished, request_started


class _ClientPerPool(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


# --- read-ahead: several keys of one request in one round trip ---------------------------
# A page that will read a few well-known keys (the catalog's version and fragment, the
# organization for the footer, the guide titles) asks for them together with `read_ahead`;
# later `cache.get` calls in the same request and thread answer from that read without
# another round trip. A write through this backend drops what it holds for that key, and
# the read-ahead ends with the request, so it never serves a value older than the request.

_MISSING = object()
_local = threading.local()


def _forget(**_kwargs: Any) -> None:
    _local.stash = None


request_started.connect(_forget, dispatch_uid="matchway-cache-read-ahead-start")
request_finished.connect(_forget, dispatch_uid="matchway-cache-read-ahead-end")


def read_ahead(keys: list[str]) -> dict[str, Any]:
    """`cache.get_many(keys)`; with the shared Redis backend, also remembered for the
    rest of this request (a miss too), so the owners of those keys read them for free."""
    from django.core.cache import caches

    backend = caches["default"]
    found: dict[str, Any] = backend.get_many(keys)
    if isinstance(backend, RedisCache):
        stash = getattr(_local, "stash", None) or {}
        for key in keys:
            stash[backend.make_and_validate_key(key)] = found.get(key, _MISSING)
        _local.stash = stash
    return found


class _ReadAheadMixin:
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        stash = getattr(_local, "stash", None)
        if stash:
            full = self.make_and_validate_key(key, version=version)  # type: ignore[attr-defined]
            if full in stash:
                value = stash[full]
                return default if value is _MISSING else value
        return super().get(key, default, version)  # type: ignore[misc]


def _dropping(name: str) -> Any:
    """A write method that first forgets what the read-ahead holds for the keys it writes."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        stash = getattr(_local, "stash", None)
        if stash:
            if name == "clear" or not args:
                _local.stash = None
            else:
                keys = args[0] if name in ("set_many", "delete_many") else [args[0]]
                for key in keys:
                    full = self.make_and_validate_key(key, version=kwargs.get("version"))
                    stash.pop(full, None)
        return getattr(DjangoRedisCache, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


class RedisCache(_ReadAheadMixin, DjangoRedisCache):
    """Django's RedisCache with one client per pool and the request's read-ahead."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ClientPerPool

    set = _dropping("set")
    add = _dropping("add")
    delete = _dropping("delete")
    touch = _dropping("touch")
    incr = _dropping("incr")
    decr = _dropping("decr")
    set_many = _dropping("set_many")
    delete_many = _dropping("delete_many")
    clear = _dropping("clear")
