from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def stored_files(settings: Any) -> Callable[[], set[str]]:
    """A snapshot function: every file under PRIVATE_MEDIA_ROOT, relative to it."""

    def snapshot() -> set[str]:
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    return snapshot
