"""Background-work helpers. Tasks take ids; enqueueing waits for the commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` once the current transaction commits (at once outside one).

    A task that starts before the commit would read rows that do not exist yet, or act on
    a change that is then rolled back (pretix TransactionAwareTask).
    """
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@task()
def email_deliver_task(email_id: int) -> str:
    """Deliver one outbox email (idempotent: `email_deliver` claims the attempt)."""
    from matchway.core.email import email_deliver

    return email_deliver(email_id)
