"""ERAS Experience drafts generated from a completed rotation, then edited and versioned.

Generation is deterministic and explainable (no remote AI): each sentence comes from one
named fact (session dates, confirmed attendance, journal counts and categories, evaluation
ratings, a reflection), sentences are added in a fixed priority order while they fit the
season's limits (`eras_fact`, never constants), and every candidate sentence is run
through the PHI detector: one with a finding is dropped and the explanation says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.exceptions import ValidationFailed
from matchway.experience.models import (
    JournalEntry,
    JournalKind,
)
from matchway.experience.selectors import RotationRecord, rotation_record
from matchway.experience.services.certificates import specialty_label
from matchway.experience.services.evaluations import COMPETENCY_CODES, SHORT_NAMES
from matchway.experience.services.journal import CATEGORIES, SETTINGS, procedure_counts
from matchway.experience.text import first_sentence, is_phi_free, sentences
from matchway.reference.eras import eras_fact
from matchway.rotations.models import Application, RotationKind

MSG_NOT_COMPLETED = _("ERAS drafts are made from completed rotations.")
MSG_PHI = _(
    "Possible patient identifiers found. Remove them, or tick the box to confirm they are "
    "not patient information."
)
EDUCATION = "Education/training"
RESEARCH = "Research"
ROLES: dict[str, str] = {
    RotationKind.CLERKSHIP: "Visiting medical student (clerkship)",
    RotationKind.OBSERVERSHIP: "Observer",
    RotationKind.EXTERNSHIP: "Extern",
    RotationKind.RESEARCH: "Research trainee",
    RotationKind.TELEHEALTH: "Telehealth trainee",
}
# How a person says what they did: "a hands-on clerkship", "an observership".
KIND_PHRASES: dict[str, tuple[str, str]] = {
    RotationKind.CLERKSHIP: ("a hands-on clerkship", "a clerkship"),
    RotationKind.OBSERVERSHIP: ("an observership", "an observership"),
    RotationKind.EXTERNSHIP: ("a hands-on externship", "an externship"),
    RotationKind.RESEARCH: ("a research rotation", "a research rotation"),
    RotationKind.TELEHEALTH: ("a telehealth rotation", "a telehealth rotation"),
}
NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


def _number(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


class ErasDraftInvalid(ValidationFailed):
    """Validation errors plus the PHI findings per field, for highlighting."""

    def __init__(self, *, errors: dict[str, list[str]], findings: dict[str, Any]) -> None:
        super().__init__(errors=errors)
        self.findings = findings


def description_limit() -> int:
    return int(eras_fact("experiences.description_max_chars").value)


def reflection_limit() -> int:
    return int(eras_fact("most_meaningful_experiences.reflection_max_chars").value)


@dataclass
class DraftContent:
    experience_type: str
    organization: str
    city: str
    state: str
    supervisor: str
    role: str
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int | None
    description: str
    meaningful_reflection: str
    explanation: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """One slot of the description: variants from richest to plainest, first PHI-free wins."""

    source: str
    variants: tuple[str, ...]


def _series(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _most_common(counter: Counter[str], n: int) -> list[str]:
    """Most frequent first, ties alphabetically: the text must not depend on entry order."""
    return [k for k, _v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _count(n: int, one: str, many: str) -> str:
    """'one case', 'two cases', '14 cases': never '1 cases'."""
    return f"{_number(n)} {one if n == 1 else many}"


def _mid_sentence(text: str) -> str:
    """'Lumbar puncture' inside a sentence reads 'lumbar puncture'; 'ECG' stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _as_sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in '.!?”"':
        text += "."
    return text


def _label(choices: Iterable[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value)).lower()


def _candidates(
    record: RotationRecord, entries: list[JournalEntry], hours: Decimal, weeks: float
) -> list[Candidate]:
    """First-person sentences, each from one fact of the record, in the order a person
    would tell it: where and what, how much, what I did, what I learned, what they said."""
    rotation = record.rotation
    observer_only = rotation.kind in (RotationKind.OBSERVERSHIP, RotationKind.RESEARCH) or (
        not rotation.hands_on
    )
    rounded_weeks = max(1, round(weeks))
    phrase = KIND_PHRASES.get(rotation.kind, (f"a {rotation.kind}", f"a {rotation.kind}"))[
        0 if rotation.hands_on and rotation.kind != RotationKind.OBSERVERSHIP else 1
    ]
    length = _count(rounded_weeks, "week", "weeks")
    specialty = specialty_label(rotation.specialty.name)
    out = [
        Candidate(
            "session and site",
            (
                f"I spent {length} on {phrase} in {specialty} at {rotation.site.name}.",
                f"I spent {length} on {phrase} in {specialty}.",
            ),
        )
    ]
    if hours > 0:
        per_week = round(float(hours) / weeks) if weeks else 0
        out.append(
            Candidate(
                "confirmed attendance",
                (
                    f"The site confirmed {hours.normalize():f} hours of attendance, about "
                    f"{per_week} a week.",
                ),
            )
        )
    pre_rounds = [e for e in entries if e.kind == JournalKind.PRE_ROUNDING]
    if pre_rounds:
        n = len(pre_rounds)
        summaries = "a pre-rounding summary" if n == 1 else f"{_number(n)} pre-rounding summaries"
        out.append(
            Candidate(
                f"journal: {len(pre_rounds)} pre-rounding entries",
                (
                    f"Before rounds I prepared {summaries} for the team: overnight events, "
                    "pending results and safety concerns.",
                ),
            )
        )
    cases = [e for e in entries if e.kind == JournalKind.CASE_LOG]
    if cases:
        categories = Counter(
            str(e.data.get("diagnosis") or e.data.get("complaint") or "") for e in cases
        )
        categories.pop("", None)
        top = [_label(CATEGORIES, c) for c in _most_common(categories, 3)]
        settings_count = Counter(str(e.data.get("setting") or "") for e in cases)
        settings_count.pop("", None)
        setting_text = ""
        if settings_count:
            main = _most_common(settings_count, 1)[0]
            mostly = "mostly " if len(settings_count) > 1 else ""
            setting_text = f" {mostly}in the {_label(SETTINGS, main)} setting"
        bands = Counter(str(e.data.get("age_band") or "") for e in cases)
        bands.pop("", None)
        variety = f" across {_number(len(bands))} age groups" if len(bands) > 1 else ""
        topics = f", most often with {_series(top)} problems" if top else ""
        roles = Counter(str(e.data.get("role") or "") for e in cases)
        patients = _count(len(cases), "patient", "patients")
        if observer_only:
            lead = f"As an observer I followed {patients}"
        else:
            lead = f"I logged {_count(len(cases), 'case', 'cases')}"
        role_text = ""
        if not observer_only and (roles.get("performed") or roles.get("assisted")):
            parts = []
            if roles.get("performed"):
                parts.append(
                    f"took on parts of the care in {_count(roles['performed'], 'case', 'cases')}"
                )
            if roles.get("assisted"):
                parts.append(f"assisted in {_count(roles['assisted'], 'case', 'cases')}")
            role_text = ". Under supervision I " + " and ".join(parts)
        out.append(
            Candidate(
                f"case log: {len(cases)} cases",
                (
                    f"{lead}{variety}{topics}{setting_text}{role_text}.",
                    f"{lead}{topics}.",
                ),
            )
        )
    evaluations = [e.current for e in record.preceptor_evaluations]
    if evaluations:
        sums: dict[str, list[int]] = {}
        for evaluation in evaluations:
            for code, value in (evaluation.ratings or {}).items():
                if isinstance(value, int) and code in COMPETENCY_CODES:
                    sums.setdefault(code, []).append(value)
        ranked = sorted(
            ((sum(v) / len(v), -COMPETENCY_CODES.index(c), c) for c, v in sums.items()),
            reverse=True,
        )
        best = [str(SHORT_NAMES[c]).lower() for mean, _i, c in ranked if mean >= 4][:2]
        if best:
            out.append(
                Candidate(
                    "preceptor evaluation ratings",
                    (f"My preceptor's evaluation rated me highest in {_series(best)}.",),
                )
            )
    skills = procedure_counts(cases)
    if skills:
        top_skills = _series([_mid_sentence(k) for k in _most_common(skills, 5)])
        out.append(
            Candidate(
                "case log: procedures and skills",
                (
                    f"I watched and discussed {top_skills}."
                    if observer_only
                    else f"The skills I practised were {top_skills}.",
                ),
            )
        )
    lessons = [
        _as_sentence(first_sentence(str(e.data.get("teaching_point") or "")))
        for e in reversed(cases)
        if str(e.data.get("teaching_point") or "").strip()
    ]
    lessons = [s for s in lessons if s]
    if lessons:
        out.append(
            Candidate(
                "case log: latest teaching point",
                tuple(f"A lesson I took away: {_mid_sentence(s)}" for s in lessons[:3]),
            )
        )
    strengths = [_as_sentence(first_sentence(e.strengths)) for e in evaluations]
    strengths = [s for s in strengths if s]
    if strengths:
        out.append(
            Candidate(
                "preceptor evaluation: strengths",
                tuple(f"My preceptor wrote: “{s}”" for s in strengths[:3]),
            )
        )
    return out


def _reflection(entries: list[JournalEntry], limit: int) -> tuple[str, list[dict[str, Any]]]:
    notes: list[dict[str, Any]] = []
    reflections = [e for e in reversed(entries) if e.kind == JournalKind.REFLECTION]
    for entry in reflections:
        for key in ("fit", "next_time", "experience"):
            text = str(entry.data.get(key) or "").strip()
            if not text:
                continue
            kept: list[str] = []
            for sentence in sentences(text):
                if not is_phi_free(sentence):
                    notes.append(
                        {
                            "field": "meaningful_reflection",
                            "source": f"reflection of {entry.entry_date.isoformat()}",
                            "text": "",
                            "included": False,
                            "reason": "possible patient identifier; left out",
                        }
                    )
                    continue
                candidate = " ".join([*kept, sentence])
                if len(candidate) > limit:
                    break
                kept.append(sentence)
            if kept:
                text_out = " ".join(kept)
                notes.append(
                    {
                        "field": "meaningful_reflection",
                        "source": f"reflection of {entry.entry_date.isoformat()} ({key})",
                        "text": text_out,
                        "included": True,
                        "reason": "",
                    }
                )
                return text_out, notes
    if not reflections:
        notes.append(
            {
                "field": "meaningful_reflection",
                "source": "journal reflections",
                "text": "",
                "included": False,
                "reason": "no saved reflection entries",
            }
        )
    return "", notes


def eras_draft_build(application: Application, *, viewer: User | None = None) -> DraftContent:
    """Compute a draft from the rotation's facts. Deterministic for the same data.

    Reads the rotation record as `viewer` (default: the applicant): saved journal entries,
    confirmed hours and the current version of each submitted preceptor evaluation.
    """
    record = rotation_record(application, viewer=viewer or application.applicant)
    session = record.session
    rotation = record.rotation
    site = rotation.site
    entries = list(record.journal)
    hours = record.confirmed_hours
    days = (session.end_date - session.start_date).days + 1
    weeks = days / 7
    limit = description_limit()
    explanation: list[dict[str, Any]] = [
        {
            "field": "experience_type",
            "source": "rotation kind",
            "text": RESEARCH if rotation.kind == RotationKind.RESEARCH else EDUCATION,
            "included": True,
            "reason": "ERAS files clerkships, observerships and away rotations under "
            "Education/training.",
        }
    ]
    chosen: list[str] = []
    for candidate in _candidates(record, entries, hours, weeks):
        picked = ""
        for variant in candidate.variants:
            if not is_phi_free(variant):
                explanation.append(
                    {
                        "field": "description",
                        "source": candidate.source,
                        "text": "",
                        "included": False,
                        "reason": "possible patient identifier; left out",
                    }
                )
                continue
            if len(" ".join([*chosen, variant])) > limit:
                continue
            picked = variant
            break
        if picked:
            chosen.append(picked)
            explanation.append(
                {
                    "field": "description",
                    "source": candidate.source,
                    "text": picked,
                    "included": True,
                    "reason": "",
                }
            )
        elif all(is_phi_free(v) for v in candidate.variants):
            explanation.append(
                {
                    "field": "description",
                    "source": candidate.source,
                    "text": candidate.variants[-1],
                    "included": False,
                    "reason": f"would pass the {limit}-character limit",
                }
            )
    description = " ".join(chosen)
    # Belt and braces: sentences can meet across a join; re-check the whole text.
    while chosen and not is_phi_free(description):
        chosen.pop()
        description = " ".join(chosen)
    reflection, notes = _reflection(entries, reflection_limit())
    explanation.extend(notes)
    per_week = round(float(hours) / weeks) if hours > 0 else None
    return DraftContent(
        experience_type=RESEARCH if rotation.kind == RotationKind.RESEARCH else EDUCATION,
        organization=site.name,
        city=site.city if site.kind != "virtual" else "",
        state=site.state.name if site.state else "",
        supervisor="; ".join(p.full_name for p in record.preceptors),
        role=ROLES.get(rotation.kind, "Trainee"),
        start_date=session.start_date,
        end_date=session.end_date,
        hours_per_week=per_week,
        description=description,
        meaningful_reflection=reflection,
        explanation=explanation,
    )


CONTENT_FIELDS = (
    "experience_type",
    "organization",
    "city",
    "state",
    "supervisor",
    "role",
    "start_date",
    "end_date",
    "hours_per_week",
    "description",
    "meaningful_reflection",
)
