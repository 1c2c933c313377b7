"""Arrival logistics writes: coordinators set a rotation's defaults and a session's overrides.

Both are audited with the names of the fields that changed, not their text (the audit log
keeps no free text). The text is written by staff about logistics (addresses, dress code,
badge office hours), never about patients, so it does not go through the PHI guard: the
guard would flag the site contact's phone number and email, which are meant to be there.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from matchway.accounts.models import Role, User
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied

from ..models import (
    ARRIVAL_FIELDS,
    Rotation,
    RotationArrival,
    RotationSession,
    SessionArrival,
)


def _require_coordinator(actor: User) -> None:
    if getattr(actor, "role", None) != Role.COORDINATOR:
        raise AccessDenied()


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ARRIVAL_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        data[name] = value.strip() if isinstance(value, str) else value
    return data


def _apply(row: Any, data: dict[str, Any]) -> list[str]:
    changed = [name for name, value in data.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, data[name])
    return changed


@transaction.atomic
def rotation_arrival_update(*, actor: User, rotation: Rotation, **fields: Any) -> RotationArrival:
    """Set the rotation's arrival defaults (creates the row on first save)."""
    _require_coordinator(actor)
    row, _created = RotationArrival.objects.select_for_update().get_or_create(rotation=rotation)
    changed = _apply(row, _clean(fields))
    if changed:
        row.save()
        audit_record(
            actor=actor,
            action="rotation.arrival_updated",
            target=rotation,
            data={"fields": changed},
        )
    return row


@transaction.atomic
def session_arrival_update(
    *, actor: User, session: RotationSession, **fields: Any
) -> SessionArrival | None:
    """Set one session's overrides. Blank fields mean "as the rotation says"; when every
    field is blank the override row is removed."""
    _require_coordinator(actor)
    row, _created = SessionArrival.objects.select_for_update().get_or_create(session=session)
    changed = _apply(row, _clean(fields))
    empty = all(getattr(row, name) in (None, "") for name in ARRIVAL_FIELDS)
    if changed:
        audit_record(
            actor=actor,
            action="session.arrival_updated",
            target=session,
            data={"fields": changed},
        )
    if empty:
        row.delete()
        return None
    if changed:
        row.save()
    return row
