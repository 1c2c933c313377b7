"""Account erasure hook: audit events stay, with the person replaced by a pseudonym; outbox
messages to or about the person go."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import AuditEvent, OutboundEmail
from .privacy import pseudonym


def _scrub(value: Any, needles: list[str], label: str) -> Any:
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, label)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, needles, label) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, needles, label) for v in value]
    return value


def erase(user: Any) -> dict[str, int]:
    """The actor becomes `deleted-user-<hash>`; the person's email and name are replaced in
    the labels and data of events about them (an application's label carries the name)."""
    label = pseudonym(user.pk)
    needles = [n for n in (user.email, user.full_name) if n]
    found = Q(actor=user) | Q(target_type=user._meta.label_lower, target_id=str(user.pk))
    for needle in needles:
        found |= Q(target_label__icontains=needle) | Q(actor_label__icontains=needle)
    changed = 0
    for event in AuditEvent.objects.filter(found).iterator():
        event.actor_label = label if event.actor_id == user.pk else event.actor_label
        event.actor = None if event.actor_id == user.pk else event.actor
        event.target_label = _scrub(event.target_label, needles, label)
        event.data = _scrub(event.data, needles, label)
        event.actor_label = _scrub(event.actor_label, needles, label)
        event.save(update_fields=["actor", "actor_label", "target_label", "data"])
        changed += 1
    # Outbox rows are delivery records, not history the provider must keep: drop every
    # message to the person or naming them (queued ones would go to a dead address anyway).
    mail = Q()
    for needle in needles:
        mail |= Q(subject__icontains=needle) | Q(text__icontains=needle) | Q(html__icontains=needle)
    mail |= Q(to__icontains=user.email) | Q(reply_to__icontains=user.email)
    deleted, _ = OutboundEmail.objects.filter(mail).delete()
    return {"audit_events_pseudonymised": changed, "outbound_emails_deleted": deleted}
