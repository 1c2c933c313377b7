"""The catalog's version key (docs/dev/caching.md): bumped by every catalog or booking write,
again when the write commits; the default local-memory cache (the one-process demo) and the
shared Redis backend both serve a fresh catalog right after a booking."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.db import transaction
from django.test import Client

from matchway.rotations.models import ApplicationStatus
from matchway.rotations.selectors_catalog import GENERATION_KEY, catalog_generation
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

CATALOG = "/rotations/"
REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def cached_catalog(settings: Any) -> None:
    settings.ROTATIONS_CATALOG_CACHE_SECONDS = 60
    cache.clear()


def test_a_write_bumps_the_version_now_and_again_on_commit(
    db: None, cached_catalog: None, django_capture_on_commit_callbacks: Any
) -> None:
    session = RotationSessionFactory(capacity=2)
    before = catalog_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)
        inside = catalog_generation()
        assert inside > before  # this process reads fresh data inside its own transaction
    assert callbacks  # and the bump is repeated once the write is visible to everyone
    assert catalog_generation() > inside


def test_the_version_starts_unguessable_after_a_flush(db: None, cached_catalog: None) -> None:
    first = catalog_generation()
    cache.clear()
    second = catalog_generation()
    # Not 1 again: a per-process memo or a stale entry keyed by the old number cannot match.
    assert first != second and first > 1 and second > 1


def test_local_memory_cache_serves_the_new_seat_count_after_a_booking(
    db: None, cached_catalog: None, settings: Any
) -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    session = RotationSessionFactory(capacity=2)
    client = Client()
    assert "2 of 2 seats open" in client.get(CATALOG).content.decode()
    assert "2 of 2 seats open" in client.get(CATALOG).content.decode()  # from the cache
    with transaction.atomic():
        ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)
    assert "1 of 2 seats open" in client.get(CATALOG).content.decode()
    assert "1 of 2 seats open" in client.get(CATALOG, HTTP_HX_REQUEST="true").content.decode()


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[None]:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis at 127.0.0.1:6379 is unreachable (required in CI)")
        pytest.skip("Redis at 127.0.0.1:6379 is unreachable (outside CI the test is skipped)")
    settings.CACHES = {
        "default": {"BACKEND": "matchway.core.cache.RedisCache", "LOCATION": REDIS_URL}
    }
    settings.ROTATIONS_CATALOG_CACHE_SECONDS = 60
    yield
    cache.clear()


def test_redis_backend_keeps_one_client_and_counts_versions(db: None, redis_cache: None) -> None:
    session = RotationSessionFactory(capacity=2)
    client = Client()
    assert "2 of 2 seats open" in client.get(CATALOG).content.decode()
    version = cache.get(GENERATION_KEY)
    assert isinstance(version, int)
    ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)
    assert cache.get(GENERATION_KEY) > version
    assert "1 of 2 seats open" in client.get(CATALOG).content.decode()
    backend: Any = caches["default"]
    assert type(backend).__module__ == "matchway.core.cache"
    inner = backend._cache
    assert inner.get_client() is inner.get_client()  # one client per pool, not per call


def test_read_ahead_answers_later_reads_and_never_hides_a_write(
    redis_cache: None, db: None
) -> None:
    # `db`: request_started runs close_old_connections, which touches an open connection.
    from django.core.signals import request_finished, request_started

    from matchway.core.cache import read_ahead

    request_started.send(sender=None)
    cache.set("a", 1)
    found = read_ahead(["a", "b"])
    assert found == {"a": 1}
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # behind the backend's back
    assert cache.get("a") == 1  # answered by the read-ahead: no round trip
    assert cache.get("b", "none") == "none"  # a miss is remembered too
    cache.set("a", 2)  # a write through the backend is never hidden
    assert cache.get("a") == 2
    request_finished.send(sender=None)
    cache.set("c", 3)
    redis.Redis.from_url(REDIS_URL).flushdb()
    assert cache.get("c") is None  # the read-ahead ended with the request
