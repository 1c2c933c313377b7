from __future__ import annotations

from typing import Any


def seed(context: dict[str, Any]) -> None:
    """Filled in by the part that owns this module."""
