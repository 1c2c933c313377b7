"""Journal entry writes: create an entry, share and unshare it, delete it, comment on it."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    PhiDetected,
    ValidationFailed,
)
from matchway.experience.models import JournalComment, JournalEntry, JournalKind
from matchway.phi.guard import phi_scan_fields
from matchway.rotations.models import Application

from .journal import (
    MAX_COMMENT_CHARS,
    MSG_NO_PRECEPTOR,
    MSG_NOT_SHARED,
    MSG_SHARE_DRAFT,
    MSG_SHARE_FINDINGS,
    MSG_SHARE_UNSAVED,
    _require_editable,
    _require_owner,
    _require_owner_application_editable,
    has_unsaved_changes,
    phi_findings,
)

# --- Writes ---------------------------------------------------------------------------


def journal_default_date(application: Application) -> dt.date:
    """Today at the site, kept within the session's dates."""
    today = clock.site_today(application.session.rotation.site)
    start, end = application.session.start_date, application.session.end_date
    return min(max(today, start), end)


def journal_entry_create(
    *, actor: User, application: Application, kind: str, entry_date: dt.date | None = None
) -> JournalEntry:
    """Create an empty draft entry at once, so autosave always has a row to write to."""
    if application.applicant_id != actor.pk:
        raise AccessDenied()
    if kind not in JournalKind.values:
        raise ValidationFailed(errors={"kind": [str(_("Unknown entry kind."))]})
    _require_owner_application_editable(application)
    default_date = journal_default_date(application)
    entry = JournalEntry.objects.create(
        application=application,
        kind=kind,
        entry_date=entry_date or default_date,
        data={},
        draft_data={"data": {}, "hours": "", "entry_date": str(entry_date or default_date)},
        draft_saved_at=clock.now(),
        is_draft=True,
    )
    audit_record(actor=actor, action="journal.create", target=entry, data={"kind": kind})
    return entry


def journal_entry_share(*, actor: User, entry: JournalEntry) -> JournalEntry:
    """Share the saved entry with the rotation's preceptors.

    Refused while the entry is an unsaved draft, has unsaved edits, or its saved text still
    has open PHI findings (re-checked here, never trusted from the page).
    """
    _require_owner(actor, entry)
    if entry.is_draft:
        raise InvalidTransition(MSG_SHARE_DRAFT)
    if has_unsaved_changes(entry):
        raise InvalidTransition(MSG_SHARE_UNSAVED)
    if phi_findings(entry, {k: str(v) for k, v in entry.data.items()}):
        raise InvalidTransition(MSG_SHARE_FINDINGS)
    if not entry.application.session.rotation.preceptors.exists():
        raise InvalidTransition(MSG_NO_PRECEPTOR)
    if not entry.shared_with_preceptor:
        entry.shared_with_preceptor = True
        entry.shared_at = clock.now()
        entry.save(update_fields=["shared_with_preceptor", "shared_at", "updated_at"])
        audit_record(actor=actor, action="journal.share", target=entry)
    return entry


def journal_entry_unshare(*, actor: User, entry: JournalEntry) -> JournalEntry:
    _require_owner(actor, entry)
    if entry.shared_with_preceptor:
        entry.shared_with_preceptor = False
        entry.save(update_fields=["shared_with_preceptor", "updated_at"])
        audit_record(actor=actor, action="journal.unshare", target=entry)
    return entry


def journal_entry_delete(*, actor: User, entry: JournalEntry) -> None:
    _require_owner(actor, entry)
    _require_editable(entry)
    audit_record(actor=actor, action="journal.delete", target=entry, data={"kind": entry.kind})
    entry.delete()


def journal_comment_add(*, actor: User, entry: JournalEntry, body: str) -> JournalComment:
    """A preceptor of the rotation (or the applicant replying) comments on a shared entry."""
    application = entry.application
    is_owner = application.applicant_id == actor.pk
    is_preceptor = application.session.rotation.preceptors.filter(pk=actor.pk).exists()
    if not (is_owner or is_preceptor):
        raise AccessDenied()
    if not entry.shared_with_preceptor:
        raise InvalidTransition(MSG_NOT_SHARED)
    text = (body or "").strip()
    if not text:
        raise ValidationFailed(errors={"body": [str(_("Write a comment first."))]})
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationFailed(errors={"body": [str(_("Keep comments under 4,000 characters."))]})
    # A comment is read by the other side: refuse possible PHI before storing it.
    PhiDetected.raise_if(phi_scan_fields({"body": text}))
    comment = JournalComment.objects.create(entry=entry, author=actor, body=text)
    audit_record(actor=actor, action="journal.comment", target=entry)
    return comment
