from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from time_machine import TimeMachineFixture


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


# A fixed afternoon in the provider's zone (settings.TIME_ZONE): "today" is the same date for
# the provider, UTC and the test, whatever hour the suite runs at.
PROVIDER_AFTERNOON = dt.datetime(2026, 3, 10, 15, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def provider_afternoon(time_machine: TimeMachineFixture) -> dt.datetime:
    """Move time to `PROVIDER_AFTERNOON` (the clock keeps ticking from there)."""
    time_machine.move_to(PROVIDER_AFTERNOON)
    return PROVIDER_AFTERNOON
