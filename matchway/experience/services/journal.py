"""Rotation journal: guided entries, autosaved drafts, the PHI guard, sharing and comments.

Entries are private to the applicant. `data` only ever holds text that passed the PHI check
(or whose findings the applicant dismissed as "not PHI", each dismissal audited); clean text
typed since lives in `draft_data`, written by autosave. Text with open findings is never
stored on the server at all (the page keeps it in the browser). A preceptor sees `data` of shared
entries only, so unchecked text never leaves the applicant. Coordinators never see entries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.exceptions import AccessDenied, InvalidTransition
from matchway.experience.models import JournalEntry, JournalKind
from matchway.phi import Finding, find_phi
from matchway.rotations.models import Application, ApplicationStatus

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
MSG_NOT_STORED = _(
    "Not saved on the server: possible patient identifiers — kept in this browser only. "
    "Replace them or mark them as not PHI to save."
)
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


PREVIEW_CHARS = 160


def entry_preview(entry: JournalEntry) -> str:
    """The first words of an entry for the journal list: its free-text answers in prompt
    order, joined, cut at a word near PREVIEW_CHARS. The saved text is what others may see;
    an entry never saved yet previews its own draft (only its owner lists drafts)."""
    source = entry.data or {}
    if entry.is_draft and entry.draft_data:
        source = entry.draft_data.get("data") or {}
    parts = []
    for prompt in prompts_for(entry.kind):
        if prompt.free_text:
            text = " ".join(str(source.get(prompt.key) or "").split())
            if text:
                parts.append(text)
    joined = " · ".join(parts)
    if len(joined) <= PREVIEW_CHARS:
        return joined
    cut = joined[:PREVIEW_CHARS].rsplit(" ", 1)[0].rstrip(" ·,;:")
    return cut + "…"


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
