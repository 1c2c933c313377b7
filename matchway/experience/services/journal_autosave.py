"""Journal editing: autosaved drafts (compare-and-set on a revision) and the checked save.

Autosave writes only `draft_data`; a save moves text that passed the PHI check (or whose
findings were dismissed) into `data`, which is all a preceptor can ever see. Neither ever
stores text with open PHI findings: such text stays in the applicant's browser only
(docs/dev/phi-guard.md), and the caller gets the findings back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import InvalidTransition, ValidationFailed
from matchway.experience.models import JournalEntry
from matchway.phi import Finding

from .journal import (
    MSG_CONFLICT,
    MSG_NOT_STORED,
    WorkingCopy,
    _parse_date,
    _parse_hours,
    _require_editable,
    _require_owner,
    clean_data,
    phi_findings,
)


@dataclass(frozen=True)
class EditorState:
    """What an open editor knows: the `revision` it last saw, a random `client` id for the
    browser tab, and the `generation` (the revision the editor was rendered at)."""

    revision: int
    client: str = ""
    generation: int = -1


class DraftHeld(ValidationFailed):
    """The typed text has open PHI findings, so nothing of it was stored on the server.

    `findings` (per field) and `copy` (what was typed) let the caller show the review and
    keep the text on screen; the page keeps it in the browser until it is clean.
    """

    code = "phi_detected"

    def __init__(self, findings: dict[str, list[Finding]], copy: WorkingCopy):
        super().__init__(MSG_NOT_STORED)
        self.findings = findings
        self.copy = copy


def typed_copy(entry: JournalEntry, payload: dict[str, Any]) -> WorkingCopy:
    """The editor's text as a working copy (used when it may not be stored)."""
    return WorkingCopy(
        data=dict(payload["data"]),
        hours=_parse_hours(payload["hours"]),
        entry_date=_parse_date(payload["entry_date"]) or entry.entry_date,
    )


def typed_copy_from(entry: JournalEntry, data: dict[str, Any]) -> WorkingCopy:
    """The editor's fields as a working copy, for showing the review of refused input."""
    return WorkingCopy(data=clean_data(entry.kind, data), hours=None, entry_date=entry.entry_date)


class StaleEdit(InvalidTransition):
    """A request from an editor this same tab has already replaced (e.g. an autosave that
    left just before a PHI replacement re-rendered the form). Safe to ignore."""


def _draft_payload(
    kind: str, data: dict[str, Any], hours: object, entry_date: object, editor: EditorState
) -> dict[str, Any]:
    parsed_hours = _parse_hours(hours)
    parsed_date = _parse_date(entry_date)
    return {
        "data": clean_data(kind, data),
        "hours": str(parsed_hours) if parsed_hours is not None else "",
        "entry_date": str(parsed_date) if parsed_date else "",
        "client": editor.client[:64],
        "generation": editor.generation,
    }


def _claim(entry: JournalEntry, editor: EditorState) -> QuerySet[JournalEntry]:
    """The row, if this editor may write it now (compare-and-set).

    Allowed when nobody wrote since the editor's `revision`; or when the last draft
    came from the same tab (`client`) at the same or an older `generation` — that is the
    tab's own autosave still in flight when the next request left, or an older render of
    the same tab. Any other writer in between is a conflict.
    """
    same = Q(revision=editor.revision)
    if editor.client:
        same |= Q(draft_data__client=editor.client, draft_data__generation__lte=editor.generation)
    return JournalEntry.objects.filter(same, pk=entry.pk)


def _refused(entry: JournalEntry, editor: EditorState) -> InvalidTransition:
    """Why a claim failed: a stale request from this tab, or a real conflict."""
    entry.refresh_from_db()
    draft = entry.draft_data or {}
    same_tab = bool(editor.client) and draft.get("client") == editor.client
    if same_tab and int(draft.get("generation", -1)) > editor.generation:
        return StaleEdit(MSG_CONFLICT)
    return InvalidTransition(MSG_CONFLICT)


def journal_entry_autosave(
    *,
    actor: User,
    entry: JournalEntry,
    data: dict[str, Any],
    hours: object,
    entry_date: object,
    editor: EditorState,
) -> JournalEntry:
    """Store what is typed as the entry's draft (compare-and-set, see `_claim`).

    The PHI check runs first: with open findings nothing is written and `DraftHeld` is
    raised with the findings. Raises `InvalidTransition(MSG_CONFLICT)` when another
    window saved first (the caller keeps the text on screen) and `StaleEdit` for a
    superseded request of the same tab; never touches the checked `data`.
    """
    _require_owner(actor, entry)
    _require_editable(entry)
    now = clock.now()
    payload = _draft_payload(entry.kind, data, hours, entry_date, editor)
    findings = phi_findings(entry, payload["data"])
    if findings:
        raise DraftHeld(findings, typed_copy(entry, payload))
    updated = _claim(entry, editor).update(
        draft_data=payload, draft_saved_at=now, revision=F("revision") + 1, updated_at=now
    )
    if updated != 1:
        raise _refused(entry, editor)
    entry.refresh_from_db()
    return entry


@dataclass
class SaveResult:
    entry: JournalEntry
    findings: dict[str, list[Finding]]
    copy: WorkingCopy | None = None  # the typed text, when it was not stored

    @property
    def saved(self) -> bool:
        return not self.findings


def journal_entry_save(
    *,
    actor: User,
    entry: JournalEntry,
    data: dict[str, Any],
    hours: object,
    entry_date: object,
    editor: EditorState,
) -> SaveResult:
    """Check the text for PHI, then save it as the entry (or keep it as a draft).

    With open findings nothing at all is written (the text is never stored on the server,
    not even as the draft): the findings and the typed copy are returned for highlighting.
    Without findings `data` is replaced and the draft cleared. Compare-and-set like
    autosave. Audited without the text.
    """
    _require_owner(actor, entry)
    _require_editable(entry)
    payload = _draft_payload(entry.kind, data, hours, entry_date, editor)
    day = _parse_date(payload["entry_date"])
    session = entry.application.session
    errors: dict[str, list[str]] = {}
    if day is None:
        errors["entry_date"] = [str(_("Enter the date of this entry."))]
    elif not session.start_date <= day <= session.end_date:
        errors["entry_date"] = [str(_("Choose a day within the rotation's dates."))]
    if payload["hours"] == "" and str(hours or "").strip():
        errors["hours"] = [str(_("Hours must be a number from 0 to 24."))]
    findings = phi_findings(entry, payload["data"])
    now = clock.now()
    if findings:
        if errors:
            raise ValidationFailed(errors=errors)
        return SaveResult(entry=entry, findings=findings, copy=typed_copy(entry, payload))
    if errors:
        updated = _claim(entry, editor).update(
            draft_data=payload, draft_saved_at=now, revision=F("revision") + 1, updated_at=now
        )
        if updated != 1:
            raise _refused(entry, editor)
        entry.refresh_from_db()
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        updated = _claim(entry, editor).update(
            data=payload["data"],
            hours=_parse_hours(payload["hours"]),
            entry_date=day,
            is_draft=False,
            draft_data=None,
            draft_saved_at=None,
            revision=F("revision") + 1,
            updated_at=now,
        )
        if updated != 1:
            raise _refused(entry, editor)
        entry.refresh_from_db()
        audit_record(actor=actor, action="journal.save", target=entry, data={"kind": entry.kind})
    return SaveResult(entry=entry, findings={})


def _write_working_copy(entry: JournalEntry, copy: WorkingCopy, revision: int) -> JournalEntry:
    """Write a server-side change (a PHI replacement) into the draft, exactly at `revision`.

    The draft's generation becomes the new revision: requests from the form rendered
    before the change (older generation) are then recognized as stale, not applied.
    """
    now = clock.now()
    payload = {
        "data": copy.data,
        "hours": str(copy.hours) if copy.hours is not None else "",
        "entry_date": str(copy.entry_date),
        "client": (entry.draft_data or {}).get("client", ""),
        "generation": revision + 1,
    }
    updated = _claim(entry, EditorState(revision=revision)).update(
        draft_data=payload, draft_saved_at=now, revision=F("revision") + 1, updated_at=now
    )
    if updated != 1:
        raise InvalidTransition(MSG_CONFLICT)
    entry.refresh_from_db()
    return entry
