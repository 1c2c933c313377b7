"""Document jobs for `run_periodic`: expire first, then remind about what is left."""

from __future__ import annotations

from collections.abc import Callable

from .services import documents_mark_expired, documents_send_expiry_reminders

JOBS: list[Callable[[], int]] = [documents_mark_expired, documents_send_expiry_reminders]
