"""Journal PHI actions: replace a finding with its safe form, or dismiss it as "not PHI"
(each dismissal audited).
"""

from __future__ import annotations

import hashlib

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import InvalidTransition, ValidationFailed
from matchway.experience.models import JournalEntry
from matchway.phi import find_phi

from .journal import (
    MSG_CONFLICT,
    MSG_STALE_FINDING,
    _require_editable,
    _require_owner,
    prompts_for,
    working_copy,
)
from .journal_autosave import EditorState, _claim, _write_working_copy


def journal_phi_replace(
    *,
    actor: User,
    entry: JournalEntry,
    field: str,
    start: int,
    end: int,
    expected: str,
    revision: int,
) -> JournalEntry:
    """Replace one finding with its suggested neutral wording, in the working copy.

    The span must still hold `expected` (the page may be stale) and still be a finding;
    the replacement text is recomputed here, never taken from the request.
    """
    _require_owner(actor, entry)
    _require_editable(entry)
    copy = working_copy(entry)
    text = copy.data.get(field, "")
    if field not in {p.key for p in prompts_for(entry.kind) if p.free_text}:
        raise ValidationFailed(errors={"field": [str(_("Unknown field."))]})
    match = next(
        (f for f in find_phi(text) if f.start == start and f.end == end and f.text == expected),
        None,
    )
    if match is None:
        raise InvalidTransition(MSG_STALE_FINDING)
    copy.data[field] = text[: match.start] + match.suggestion + text[match.end :]
    entry = _write_working_copy(entry, copy, revision)
    audit_record(
        actor=actor,
        action="journal.phi_replace",
        target=entry,
        data={"field": field, "kind": match.kind},
    )
    return entry


def _fingerprint(text: str) -> str:
    # The audit log must not become a second copy of possible PHI: store a digest only.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def journal_phi_dismiss(
    *, actor: User, entry: JournalEntry, field: str, kind: str, text: str, revision: int
) -> JournalEntry:
    """Mark a finding as "not PHI" for this entry. Stored on the entry and audited.

    The same text of the same kind is then not flagged again anywhere in the entry. The
    audit event carries the field, kind, length and a digest of the text, not the text.
    """
    _require_owner(actor, entry)
    _require_editable(entry)
    copy = working_copy(entry)
    present = any(f.kind == kind and f.text == text for f in find_phi(copy.data.get(field, "")))
    if not present:
        raise InvalidTransition(MSG_STALE_FINDING)
    now = clock.now()
    dismissed = list(entry.phi_dismissed or [])
    if not any(d.get("kind") == kind and d.get("text") == text for d in dismissed):
        dismissed.append({"kind": kind, "text": text, "field": field, "at": now.isoformat()})
    updated = _claim(entry, EditorState(revision=revision)).update(
        phi_dismissed=dismissed, revision=F("revision") + 1, updated_at=now
    )
    if updated != 1:
        raise InvalidTransition(MSG_CONFLICT)
    entry.refresh_from_db()
    audit_record(
        actor=actor,
        action="journal.phi_dismiss",
        target=entry,
        data={"field": field, "kind": kind, "length": len(text), "digest": _fingerprint(text)},
    )
    return entry
