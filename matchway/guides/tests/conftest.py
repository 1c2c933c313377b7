from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from matchway.guides.models import Article


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_seed(db: None) -> None:
    """Start without the seven bundled guides the data migration created."""
    Article.objects.all().delete()


@pytest.fixture
def eras_copy(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Point the season-facts lookup at a temporary copy the test may edit."""
    from matchway.reference import eras

    copy = tmp_path / "eras_limits.json"
    copy.write_text(eras.DATA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(eras, "DATA_FILE", copy)
    return copy
