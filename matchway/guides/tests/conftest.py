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


def ensure_bundled_guides() -> None:
    """The data migration seeds the seven guides, but a transactional test elsewhere in the
    run flushes every table (and --reuse-db keeps that state), so put them back if needed."""
    from matchway.guides.loader import read_articles
    from matchway.guides.services import articles_sync_from_files

    slugs = [a.slug for a in read_articles()]
    if Article.objects.filter(slug__in=slugs).count() < len(slugs):
        articles_sync_from_files()


@pytest.fixture(autouse=True)
def _bundled_guides(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_bundled_guides()


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
