"""The one way to write an audit event (pretix's `log_action`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .http import client_ip
from .models import AuditEvent


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event. Safe inside or outside a transaction (rolls back with it)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(getattr(actor, "email", "") or "") if is_user else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        data=data or {},
        ip=ip or client_ip(request),
    )
