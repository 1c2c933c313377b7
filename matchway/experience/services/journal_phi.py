"""Journal PHI actions: replace a finding with its safe form, or dismiss it as "not PHI"
(each dismissal audited).

Both work on the text the editor sends (`typed`), which may never have reached the server:
the result is stored as the draft only once it has no open findings left.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

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
    WorkingCopy,
    _require_editable,
    _require_owner,
    phi_findings,
    prompts_for,
    working_copy,
)
from .journal_autosave import EditorState, _claim, _write_working_copy


@dataclass(frozen=True)
class EditorCopy:
    """After a PHI action: the entry, the text to show, and whether that text is stored."""

    entry: JournalEntry
    copy: WorkingCopy
    stored: bool


def _store_if_clean(entry: JournalEntry, copy: WorkingCopy, revision: int) -> EditorCopy:
    # Text with open findings stays with the editor only (docs/dev/phi-guard.md).
    if phi_findings(entry, copy.data):
        return EditorCopy(entry=entry, copy=copy, stored=False)
    entry = _write_working_copy(entry, copy, revision)
    return EditorCopy(entry=entry, copy=working_copy(entry), stored=True)


def journal_phi_replace(
    *,
    actor: User,
    entry: JournalEntry,
    field: str,
    start: int,
    end: int,
    expected: str,
    revision: int,
    typed: WorkingCopy | None = None,
) -> EditorCopy:
    """Replace one finding with its suggested neutral wording, in the typed text (or the
    stored working copy when the editor sent none).

    The span must still hold `expected` (the page may be stale) and still be a finding;
    the replacement text is recomputed here, never taken from the request. The result is
    stored as the draft only when no open findings remain.
    """
    _require_owner(actor, entry)
    _require_editable(entry)
    copy = typed or working_copy(entry)
    text = copy.data.get(field, "")
    if field not in {p.key for p in prompts_for(entry.kind) if p.free_text}:
        raise ValidationFailed(errors={"field": [str(_("Unknown field."))]})
    match = next(
        (f for f in find_phi(text) if f.start == start and f.end == end and f.text == expected),
        None,
    )
    if match is None:
        raise InvalidTransition(MSG_STALE_FINDING)
    data = {**copy.data, field: text[: match.start] + match.suggestion + text[match.end :]}
    result = _store_if_clean(entry, replace(copy, data=data), revision)
    audit_record(
        actor=actor,
        action="journal.phi_replace",
        target=result.entry,
        data={"field": field, "kind": match.kind},
    )
    return result


def _fingerprint(text: str) -> str:
    # The audit log must not become a second copy of possible PHI: store a digest only.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def journal_phi_dismiss(
    *,
    actor: User,
    entry: JournalEntry,
    field: str,
    kind: str,
    text: str,
    revision: int,
    typed: WorkingCopy | None = None,
) -> EditorCopy:
    """Mark a finding as "not PHI" for this entry. Stored on the entry and audited.

    The same text of the same kind is then not flagged again anywhere in the entry (the
    applicant's decision: only the dismissed span is stored, in `phi_dismissed`). The typed
    text is stored as the draft once no open findings remain. The audit event carries the
    field, kind, length and a digest of the text, not the text.
    """
    _require_owner(actor, entry)
    _require_editable(entry)
    copy = typed or working_copy(entry)
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
    if typed is None:  # nothing new was typed: the stored copy stays as it is
        return EditorCopy(entry=entry, copy=copy, stored=True)
    return _store_if_clean(entry, copy, entry.revision)
