"""Background tasks for accounts: thin wrappers that load by id and call one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from matchway.accounts.services.erasure import account_erase


@task()
def account_erase_task(user_id: int) -> dict[str, Any]:
    """Erase a person who asked for it (docs/dev/privacy.md)."""
    return account_erase(user_id=user_id)
