from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def audit_event_list(
    *,
    q: str = "",
    action: str = "",
    target_type: str = "",
    actor: str = "",
    since: str = "",
    until: str = "",
) -> tuple[QuerySet[AuditEvent], dict[str, str]]:
    """Filtered audit events, newest first, plus human errors for unparseable filters."""
    events = AuditEvent.objects.all()
    errors: dict[str, str] = {}
    if q:
        events = events.filter(
            Q(action__icontains=q) | Q(target_label__icontains=q) | Q(actor_label__icontains=q)
        )
    if action:
        events = events.filter(action__startswith=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    tz = timezone.get_current_timezone()
    for name, value in (("since", since), ("until", until)):
        if not value:
            continue
        day = _parse_day(value)
        if day is None:
            errors[name] = "Use the format YYYY-MM-DD."
            continue
        if name == "since":
            events = events.filter(created_at__gte=datetime.combine(day, time.min, tzinfo=tz))
        else:
            events = events.filter(created_at__lte=datetime.combine(day, time.max, tzinfo=tz))
    return events, errors
