"""Helpers for the personal-data export: plain rows out of model instances.

The export itself is assembled by `accounts.services.privacy` from every app's `export.py`
(found through `core.discovery.export_hooks`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models

# One file for the ZIP: (name inside the archive, storage, name in that storage).
ExportFile = tuple[str, Storage, str]


def model_row(obj: models.Model, *, exclude: Collection[str] = ()) -> dict[str, Any]:
    """The concrete fields of `obj` as a dict; relations as their id, files as nothing
    (file bytes go under `files/` in the archive, storage paths say nothing to a person)."""
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or isinstance(field, models.FileField):
            continue
        key = field.attname if field.is_relation else field.name
        row[key] = field.value_from_object(obj)
    return row


def pseudonym(user_id: int) -> str:
    """A stable label for an erased person in records that must stay (audit, money)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:erased-user:{user_id}".encode()).hexdigest()
    return f"deleted-user-{digest[:12]}"
