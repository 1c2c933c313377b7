"""Retention hook (`core.discovery.retention_hooks`): whether an applicant still needs their
identity documents for a booking, or since when they no longer do. The documents app owns
the rule and the job (docs/dev/privacy.md, "Retention"); it cannot import rotations, so
rotations answers through this module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from .selectors import applicant_documents_needed


def documents_needed(owner_ids: Collection[int]) -> dict[int, dt.date | None]:
    """None = an application is active or a rotation is not over (keep everything);
    a date = the last rotation's end; owners who never applied are absent."""
    return applicant_documents_needed(owner_ids)
