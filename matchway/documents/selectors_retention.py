"""When identity documents are erased under the retention rule (docs/dev/privacy.md).

The rule: an identity document (`DocumentType.is_identity`) is erased
`RETENTION_IDENTITY_DOCUMENTS_DAYS` after the later of (a) the end of the owner's last
rotation and (b) the day it was uploaded, never while the owner has an application in
progress or a rotation that is not over, and never without a notice 30 days before.

Documents cannot import rotations: "in use" and "last rotation" come from every app's
`retention.documents_needed(owner_ids)` hook (`core.discovery.retention_hooks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings

from matchway.core import clock
from matchway.core.discovery import retention_hooks

from .models import Document, DocumentStatus

NOTICE_DAYS = 30

MeasuredFrom = Literal["last_rotation", "upload", "in_use", "off"]


def retention_days() -> int | None:
    """The retention period in days, or None when the rule is off (the setting is 0)."""
    days = int(settings.RETENTION_IDENTITY_DOCUMENTS_DAYS or 0)
    return days if days > 0 else None


def documents_needed(owner_ids: Collection[int]) -> dict[int, dt.date | None]:
    """Every app's answer combined: None when any app still needs the owner's documents,
    else the latest date any app last needed them. Owners no app knows are absent."""
    combined: dict[int, dt.date | None] = {}
    if not owner_ids:
        return combined
    for hook in retention_hooks():
        for owner_id, needed in hook(owner_ids).items():
            if owner_id in combined and combined[owner_id] is None:
                continue
            previous = combined.get(owner_id)
            if needed is None or previous is None:
                combined[owner_id] = needed
            else:
                combined[owner_id] = max(previous, needed)
    return combined


@dataclass(frozen=True)
class RetentionDue:
    """When the rule erases one document: `erase_on` is a provider date (the job erases on
    or after it), None while the document is kept (`measured_from` says why)."""

    erase_on: dt.date | None
    measured_from: MeasuredFrom


def retention_due(
    document: Document, needed: dict[int, dt.date | None], *, days: int | None
) -> RetentionDue:
    """Apply the rule to one document, given `documents_needed` for its owner. Pure."""
    if days is None:
        return RetentionDue(None, "off")
    if document.owner_id in needed and needed[document.owner_id] is None:
        return RetentionDue(None, "in_use")
    # The provider's date, like every organisation-wide document rule (docs/dev/time.md).
    uploaded = clock.local_date(document.created_at, settings.TIME_ZONE)
    last_rotation = needed.get(document.owner_id)
    if last_rotation is not None and last_rotation >= uploaded:
        return RetentionDue(last_rotation + dt.timedelta(days=days), "last_rotation")
    return RetentionDue(uploaded + dt.timedelta(days=days), "upload")


def retention_shown_date(erase_on: dt.date, zone: str | dt.tzinfo | None) -> dt.date:
    """The date to tell a person in `zone`: the day, in their zone, on which the provider's
    `erase_on` begins (the job may erase from that instant on). For Los Angeles that is the
    evening before; for Kolkata the same date."""
    return clock.local_date(clock.start_of_day(erase_on, settings.TIME_ZONE), zone)


@dataclass(frozen=True)
class VaultRetention:
    """What the vault says about one identity document under the rule."""

    days: int
    erase_on: dt.date | None  # the provider's date; None while kept
    in_use: bool
    noticed: bool


def vault_retention(*, owner_id: int, documents: Iterable[Document]) -> dict[int, VaultRetention]:
    """For each of `documents` (the owner's, identity types, not erased; type loaded) what
    the vault shows, keyed by document id. One query per app hook, none when the list is
    empty or the rule is off."""
    days = retention_days()
    docs = [
        d
        for d in documents
        if d.type.is_identity and d.status != DocumentStatus.ERASED and d.owner_id == owner_id
    ]
    if days is None or not docs:
        return {}
    needed = documents_needed([owner_id])
    result: dict[int, VaultRetention] = {}
    for document in docs:
        due = retention_due(document, needed, days=days)
        erase_on = due.erase_on
        if erase_on is not None and document.retention_erase_on is not None:
            # The notice promised a date; never erase (or show) earlier than it.
            erase_on = max(erase_on, document.retention_erase_on)
        result[document.pk] = VaultRetention(
            days=days,
            erase_on=erase_on,
            in_use=due.measured_from == "in_use",
            noticed=document.retention_notice_sent_at is not None,
        )
    return result
