"""Background tasks for rotations: thin wrappers that load by id and call one service."""

from __future__ import annotations

from django_tasks import task

from matchway.experience.services.certificates import certificate_render


@task()
def certificate_render_task(certificate_id: int) -> bool:
    """Render a certificate's PDF (idempotent: the service claims the work)."""
    return certificate_render(certificate_id=certificate_id)
