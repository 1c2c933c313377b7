"""Assertion helpers for booking service tests."""

from __future__ import annotations

from typing import Any

from matchway.core.models import AuditEvent


def audit_actions(target: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def assert_email(message: Any, to: str, subject_contains: str) -> None:
    """One email to `to` whose subject mentions `subject_contains`, with text and HTML."""
    assert message.to == [to]
    assert subject_contains in message.subject
    assert message.body.strip()
    html = [content for content, mime in message.alternatives if mime == "text/html"]
    assert html
    assert "<html" in html[0]
