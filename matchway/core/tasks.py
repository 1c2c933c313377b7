"""Background-work helpers. Tasks take ids; enqueueing waits for the commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` once the current transaction commits (at once outside one).

    A task that starts before the commit would read rows that do not exist yet, or act on
    a change that is then rolled back (pretix TransactionAwareTask).
    """
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
