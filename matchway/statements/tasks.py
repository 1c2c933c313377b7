"""Statement background work: thin wrappers that load by id and call one service."""

from __future__ import annotations

from django_tasks import task

from .services import version_analyze_now


@task()
def statement_analyze_task(version_id: int) -> str:
    """Analyse a long statement version and store the result (the editor polls for it)."""
    return version_analyze_now(version_id=version_id)
