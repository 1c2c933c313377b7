"""Personal-data export hook: the audit events where the person is the actor."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent
from .privacy import model_row


def export(user: Any) -> dict[str, Any]:
    events = AuditEvent.objects.filter(actor=user).order_by("created_at", "pk")
    return {"audit_events": [model_row(e, exclude={"actor"}) for e in events]}
