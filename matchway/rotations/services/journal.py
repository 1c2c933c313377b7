"""Rotation journal: guided entries, autosaved drafts, the PHI guard, sharing and comments.

Entries are private to the applicant. `data` only ever holds text that passed the PHI check
(or whose findings the applicant dismissed as "not PHI", each dismissal audited); everything
typed since lives in `draft_data`, written by autosave. A preceptor sees `data` of shared
entries only, so unchecked text never leaves the applicant. Coordinators never see entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.phi import Finding, find_phi

from ..models import Application, ApplicationStatus, JournalEntry, JournalKind
from ..models.experience import JournalComment

MAX_FIELD_CHARS = 5000
MAX_COMMENT_CHARS = 4000
# A completed rotation's journal stays editable this long, then becomes read-only.
EDIT_GRACE = dt.timedelta(days=14)

MSG_READ_ONLY = _("This journal is read-only now: the rotation ended more than two weeks ago.")
MSG_CONFLICT = _(
    "This entry changed in another window. Your text here is not saved yet: copy it, "
    "then reload the page."
)
MSG_SHARE_FINDINGS = _(
    "This entry still has possible patient identifiers. Replace them or mark them as not "
    "PHI before sharing."
)
MSG_SHARE_DRAFT = _("Save the entry before sharing it.")
MSG_SHARE_UNSAVED = _("Save your latest changes before sharing, so the preceptor sees them.")
MSG_NO_PRECEPTOR = _("This rotation has no preceptor to share with yet.")
MSG_STALE_FINDING = _("The text changed since the check. Review the highlighted text again.")
MSG_NOT_SHARED = _("Only shared entries can be commented on.")


@dataclass(frozen=True)
class Prompt:
    """One field of a guided form. `choices` makes it a select; otherwise free text."""

    key: str
    label: StrOrPromise
    help: StrOrPromise
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    multiline: bool = True

    @property
    def free_text(self) -> bool:
        return not self.choices


SETTINGS = (
    ("inpatient", _("Inpatient ward")),
    ("icu", _("Intensive care")),
    ("emergency", _("Emergency department")),
    ("clinic", _("Outpatient clinic")),
    ("operating_room", _("Operating room / procedure suite")),
    ("telehealth", _("Telehealth visit")),
    ("other", _("Other")),
)
# Safe Harbor: ages over 89 are aggregated, so the oldest band is "90 or older".
AGE_BANDS = (
    ("newborn", _("Newborn (under 1 month)")),
    ("infant", _("Infant (1–11 months)")),
    ("child", _("Child (1–12 years)")),
    ("adolescent", _("Adolescent (13–17)")),
    ("young_adult", _("Adult 18–39")),
    ("adult", _("Adult 40–64")),
    ("older_adult", _("Older adult 65–89")),
    ("oldest", _("90 or older")),
)
CATEGORIES = (
    ("cardiovascular", _("Cardiovascular")),
    ("respiratory", _("Respiratory")),
    ("gastrointestinal", _("Gastrointestinal / hepatic")),
    ("renal", _("Renal / genitourinary")),
    ("endocrine", _("Endocrine / metabolic")),
    ("infectious", _("Infectious disease")),
    ("neurologic", _("Neurologic")),
    ("psychiatric", _("Psychiatric / behavioural")),
    ("musculoskeletal", _("Musculoskeletal")),
    ("hematologic", _("Hematology / oncology")),
    ("dermatologic", _("Dermatologic")),
    ("reproductive", _("Obstetric / gynecologic")),
    ("trauma", _("Trauma / injury")),
    ("preventive", _("Preventive / well visit")),
    ("other", _("Other")),
)
CASE_ROLES = (
    ("observed", _("Observed")),
    ("assisted", _("Assisted")),
    ("performed", _("Performed under supervision")),
)

PROMPTS: dict[str, tuple[Prompt, ...]] = {
    JournalKind.PRE_ROUNDING: (
        Prompt(
            "team",
            _("Who is on the team today?"),
            _(
                "List each person by role and what they own today: attending, resident, "
                "intern, nurse, pharmacist, case manager. Roles, not patient details."
            ),
        ),
        Prompt(
            "patients",
            _("Patients I reviewed before rounds"),
            _(
                'One line per patient, described by problem and day of stay ("new heart '
                'failure, day 2"). Never names, room numbers, dates of birth or record numbers.'
            ),
        ),
        Prompt(
            "overnight",
            _("What changed overnight?"),
            _("New symptoms, vital-sign trends, rapid responses, new orders, transfers."),
        ),
        Prompt(
            "pending",
            _("Results and consults still pending"),
            _("Labs, imaging and consults you are waiting on, and who will follow each up."),
        ),
        Prompt(
            "presentation",
            _("What I will present"),
            _(
                "Your one-line summary and the plan you would propose, problem by problem. "
                "Practise it aloud once."
            ),
        ),
        Prompt(
            "safety",
            _("Safety concerns I noticed"),
            _(
                "Falls, lines and drains, allergies, isolation, medication timing, anything "
                "that felt off. Say who you told."
            ),
        ),
        Prompt(
            "questions",
            _("Questions to ask the team"),
            _("What you want to understand better today, and whom you will ask."),
        ),
    ),
    JournalKind.REFLECTION: (
        Prompt(
            "experience",
            _("What I saw and did"),
            _("The moments that mattered today: what happened and what your part was."),
        ),
        Prompt(
            "feedback",
            _("Feedback I received"),
            _("What you were told and by whom (their role). Quote it if you can."),
        ),
        Prompt(
            "next_time",
            _("What I will do differently"),
            _("One or two concrete changes for tomorrow, small enough to try."),
        ),
        Prompt(
            "fit",
            _("How this specialty fits me"),
            _("What drew you in or put you off today, and what it tells you about your path."),
        ),
    ),
    JournalKind.CASE_LOG: (
        Prompt("setting", _("Setting"), "", choices=SETTINGS),
        Prompt("age_band", _("Age band"), "", choices=AGE_BANDS),
        Prompt("complaint", _("Chief complaint category"), "", choices=CATEGORIES),
        Prompt("diagnosis", _("Diagnosis category"), "", choices=CATEGORIES),
        Prompt("role", _("My role"), "", choices=CASE_ROLES),
        Prompt(
            "procedures",
            _("Procedures and skills"),
            _('Separate with commas, e.g. "ECG interpretation, knee exam, suturing".'),
            multiline=False,
        ),
        Prompt(
            "teaching_point",
            _("Teaching point"),
            _("The one thing this case taught you, written so you can reuse it later."),
        ),
    ),
}


def prompts_for(kind: str) -> tuple[Prompt, ...]:
    return PROMPTS[JournalKind(kind)]


def choice_label(prompt: Prompt, value: str) -> str:
    return str(dict(prompt.choices).get(value, value))


def procedure_counts(entries: Iterable[JournalEntry]) -> Counter[str]:
    """Procedures and skills named in case logs, counted case-insensitively and shown as
    first written, in date order ("ECG interpretation" stays upper-case)."""
    labels: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for entry in sorted(entries, key=lambda e: (e.entry_date, e.pk or 0)):
        if entry.kind != JournalKind.CASE_LOG:
            continue
        for item in str(entry.data.get("procedures") or "").split(","):
            name = " ".join(item.split()).rstrip(".")[:80]
            if name:
                label = labels.setdefault(name.casefold(), name)
                counts[label] += 1
    return counts


@dataclass(frozen=True)
class WorkingCopy:
    """What the editor shows: the autosaved draft if there is one, else the saved entry."""

    data: dict[str, str]
    hours: Decimal | None
    entry_date: dt.date


def working_copy(entry: JournalEntry) -> WorkingCopy:
    draft = entry.draft_data
    if draft:
        return WorkingCopy(
            data={k: str(v) for k, v in (draft.get("data") or {}).items()},
            hours=_parse_hours(draft.get("hours")),
            entry_date=_parse_date(draft.get("entry_date")) or entry.entry_date,
        )
    return WorkingCopy(
        data={k: str(v) for k, v in (entry.data or {}).items()},
        hours=entry.hours,
        entry_date=entry.entry_date,
    )


def has_unsaved_changes(entry: JournalEntry) -> bool:
    return bool(entry.draft_data)


def _parse_hours(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        return None
    if not hours.is_finite() or hours < 0 or hours > 24:
        return None
    return hours.quantize(Decimal("0.1"))


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def clean_data(kind: str, raw: dict[str, Any]) -> dict[str, str]:
    """Keep only the kind's fields; trim text; drop unknown choices. Never raises."""
    cleaned: dict[str, str] = {}
    for prompt in prompts_for(kind):
        value = str(raw.get(prompt.key, "") or "").replace("\r\n", "\n").strip()
        if prompt.choices:
            value = value if value in dict(prompt.choices) else ""
        cleaned[prompt.key] = value[:MAX_FIELD_CHARS]
    return cleaned


# --- PHI guard ------------------------------------------------------------------------


def is_dismissed(entry: JournalEntry, finding: Finding) -> bool:
    return any(
        d.get("kind") == finding.kind and d.get("text") == finding.text
        for d in entry.phi_dismissed or []
    )


def phi_findings(entry: JournalEntry, data: dict[str, str]) -> dict[str, list[Finding]]:
    """Open findings per free-text field (dismissed ones are left out)."""
    result: dict[str, list[Finding]] = {}
    for prompt in prompts_for(entry.kind):
        if not prompt.free_text:
            continue
        found = [f for f in find_phi(data.get(prompt.key, "")) if not is_dismissed(entry, f)]
        if found:
            result[prompt.key] = found
    return result


def finding_count(findings: dict[str, list[Finding]]) -> int:
    return sum(len(v) for v in findings.values())


# --- Permissions ----------------------------------------------------------------------


def journal_is_editable(application: Application, *, now: dt.datetime | None = None) -> bool:
    if application.status == ApplicationStatus.IN_PROGRESS:
        return True
    if application.status != ApplicationStatus.COMPLETED:
        return False
    ended = application.completed_at
    if ended is None:
        ended = dt.datetime.combine(
            application.session.end_date, dt.time.max, tzinfo=timezone.get_current_timezone()
        )
    return (now or clock.now()) <= ended + EDIT_GRACE


def _require_owner(actor: User, entry: JournalEntry) -> None:
    if entry.application.applicant_id != actor.pk:
        raise AccessDenied()


def _require_editable(entry: JournalEntry) -> None:
    _require_owner_application_editable(entry.application)


def _require_owner_application_editable(application: Application) -> None:
    if not journal_is_editable(application):
        raise InvalidTransition(MSG_READ_ONLY)


# --- Writes ---------------------------------------------------------------------------


def journal_entry_create(
    *, actor: User, application: Application, kind: str, entry_date: dt.date | None = None
) -> JournalEntry:
    """Create an empty draft entry at once, so autosave always has a row to write to."""
    if application.applicant_id != actor.pk:
        raise AccessDenied()
    if kind not in JournalKind.values:
        raise ValidationFailed(errors={"kind": [str(_("Unknown entry kind."))]})
    _require_owner_application_editable(application)
    today = clock.site_today(application.session.rotation.site)
    start, end = application.session.start_date, application.session.end_date
    default_date = min(max(today, start), end)
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


@dataclass(frozen=True)
class EditorState:
    """What an open editor knows: the `revision` it last saw, a random `client` id for the
    browser tab, and the `generation` (the revision the editor was rendered at)."""

    revision: int
    client: str = ""
    generation: int = -1


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

    Raises `InvalidTransition(MSG_CONFLICT)` when another window saved first (the caller
    keeps the text on screen) and `StaleEdit` for a superseded request of the same tab;
    never touches the checked `data`.
    """
    _require_owner(actor, entry)
    _require_editable(entry)
    now = clock.now()
    payload = _draft_payload(entry.kind, data, hours, entry_date, editor)
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

    With open findings nothing in `data` changes: the text is kept as the draft and the
    findings are returned for highlighting. Without findings `data` is replaced and the
    draft cleared. Compare-and-set like autosave. Audited without the text.
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
    if findings or errors:
        updated = _claim(entry, editor).update(
            draft_data=payload, draft_saved_at=now, revision=F("revision") + 1, updated_at=now
        )
        if updated != 1:
            raise _refused(entry, editor)
        entry.refresh_from_db()
        if errors:
            raise ValidationFailed(errors=errors)
        return SaveResult(entry=entry, findings=findings)
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
    comment = JournalComment.objects.create(entry=entry, author=actor, body=text)
    audit_record(actor=actor, action="journal.comment", target=entry)
    return comment
