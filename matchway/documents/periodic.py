"""Document jobs for `run_periodic`: expire first, then remind about what is left, then the
retention rule for identity documents (notice, erasure; docs/dev/privacy.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .services import (
    documents_apply_retention,
    documents_mark_expired,
    documents_send_expiry_reminders,
)

JOBS: list[Callable[[], Any]] = [
    documents_mark_expired,
    documents_send_expiry_reminders,
    documents_apply_retention,
]
