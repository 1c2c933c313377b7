from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The writer-link rate limit lives in the cache; no test may inherit another's count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _after_commit_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The `db` fixture's transaction never commits, so `on_commit` work (emails, deleting a
    superseded file) would never run. Run it at once: each service call then looks as it
    does in production right after its commit."""
    from django.db import transaction

    def run_now(func: Callable[[], object], using: str | None = None, robust: bool = False) -> None:
        func()

    monkeypatch.setattr(transaction, "on_commit", run_now)
