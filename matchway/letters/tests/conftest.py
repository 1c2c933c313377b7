from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The writer-link rate limit lives in the cache; no test may inherit another's count."""
    cache.clear()
    yield
    cache.clear()
