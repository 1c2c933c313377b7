"""The brag sheet: what a letter writer needs to remember about the applicant.

`brag_sheet_build` turns the rotation record (dates, site, confirmed hours, case mix and
teaching points from the journal, evaluation strengths) into a JSON snapshot that is stored
on the request. Every sentence that comes from free text (journal, evaluation comments) is
run through the PHI detector and dropped when it finds anything: a brag sheet travels by
email link to people outside the provider, so a false positive costs one sentence while a
false negative would leak a patient identifier.

`brag_sheet_text` and `brag_sheet_pdf` render a snapshot for download; both are pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.documents.models import Document
from matchway.experience.selectors import (
    EvaluationRecord,
    JournalEntry,
    JournalKind,
    RotationApplication,
    RotationRecord,
    rotation_record,
)
from matchway.experience.text import phi_free_items, phi_free_sentences, unique
from matchway.reference.models import Competency

BRAG_VERSION = 1
MAX_ITEMS = 8

# Journal form fields are owned by the experience feature; we recognise them by name so a
# renamed field degrades to "not shown" rather than to an error.
_CASE_KEYS = ("diagnosis", "chief_complaint", "complaint", "category")
_PROCEDURE_KEYS = ("procedure",)
_TEACHING_KEYS = ("teaching", "learn", "takeaway", "differently")
_SKILL_KEYS = ("skill", "feedback", "present")
_ROLE_KEYS = ("my_role", "role")


def _items(value: Any) -> list[str]:
    """Short list-like values ("ECG, lumbar puncture") split into items."""
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[;,\n]", value) if p.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _matching(data: dict[str, Any], keys: Sequence[str]) -> list[Any]:
    return [v for k, v in data.items() if any(key in k.lower() for key in keys)]


def _journal_facts(entries: Sequence[JournalEntry], dropped: list[int]) -> dict[str, Any]:
    cases: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    procedures: list[str] = []
    teaching: list[str] = []
    skills: list[str] = []
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        if entry.kind == JournalKind.CASE_LOG:
            for value in _matching(data, _CASE_KEYS)[:1]:
                for label in phi_free_items(_items(value)[:1], dropped):
                    cases[label[:80]] += 1
            for value in _matching(data, _ROLE_KEYS)[:1]:
                for label in phi_free_items(_items(value)[:1], dropped):
                    roles[label[:40].lower()] += 1
            for value in _matching(data, _PROCEDURE_KEYS):
                procedures.extend(phi_free_items(_items(value), dropped))
        for value in _matching(data, _TEACHING_KEYS):
            teaching.extend(phi_free_sentences(value, dropped))
        if entry.kind == JournalKind.REFLECTION:
            for value in _matching(data, _SKILL_KEYS):
                skills.extend(phi_free_sentences(value, dropped))
    return {
        "case_mix": [{"label": k, "count": n} for k, n in cases.most_common(MAX_ITEMS)],
        "roles": [{"label": k, "count": n} for k, n in roles.most_common()],
        "procedures": unique(procedures, MAX_ITEMS),
        "teaching_points": unique(teaching, MAX_ITEMS),
        "skills": unique(skills, MAX_ITEMS),
        "journal_entries": len(entries),
    }


def _evaluation_facts(
    evaluations: Sequence[EvaluationRecord], dropped: list[int]
) -> dict[str, Any]:
    names = dict(Competency.objects.values_list("code", "name"))
    strengths: list[str] = []
    scores: dict[str, list[int]] = {}
    for record in evaluations:
        evaluation = record.current
        strengths.extend(phi_free_sentences(evaluation.strengths, dropped))
        for code, value in (evaluation.ratings or {}).items():
            if isinstance(value, int) and code in names:
                scores.setdefault(code, []).append(value)
    top = sorted(
        ((sum(v) / len(v), names[c]) for c, v in scores.items() if sum(v) / len(v) >= 4),
        reverse=True,
    )
    return {
        "evaluation_strengths": unique(strengths, MAX_ITEMS),
        "top_competencies": [name for _avg, name in top],
        "evaluations": len(evaluations),
    }


def _rotation_facts(record: RotationRecord) -> dict[str, Any]:
    session = record.session
    rotation = record.rotation
    site = rotation.site
    specialty = rotation.specialty
    return {
        "title": rotation.title,
        "kind": rotation.get_kind_display(),
        "hands_on": rotation.hands_on,
        "specialty": specialty.name if specialty else "",
        "site": site.name,
        "location": site.location_label,
        "start": session.start_date.isoformat(),
        "end": session.end_date.isoformat(),
        "weeks": rotation.weeks,
        "preceptors": [p.get_full_name() for p in record.preceptors],
    }


def brag_sheet_build(
    *,
    applicant: User,
    application: RotationApplication | None,
    notes: str = "",
    attachments: Sequence[Document] = (),
) -> dict[str, Any]:
    """Assemble the snapshot from the applicant's own rotation record.

    Reads through `experience.selectors.rotation_record` as the applicant: saved (non-draft)
    journal entries, confirmed attendance and the current version of each submitted
    preceptor evaluation. Raises `NotFound` if `application` is not the applicant's.
    """
    dropped = [0]
    profile = getattr(applicant, "applicant_profile", None)
    sheet: dict[str, Any] = {
        "version": BRAG_VERSION,
        "generated_at": clock.now().isoformat(),
        "applicant": {
            "name": applicant.get_full_name(),
            "medical_school": getattr(profile, "medical_school", "") or "",
            "country": getattr(profile, "country", "") or "",
            "graduation_year": getattr(profile, "graduation_year", None),
            "target_specialties": (
                [s.name for s in profile.target_specialties.all()] if profile else []
            ),
        },
        "rotation": None,
        "hours_confirmed": None,
        "notes": notes.strip(),
        "attachments": [
            {"id": d.pk, "type": d.type.name, "name": d.neutral_name} for d in attachments
        ],
    }
    if application is not None:
        record = rotation_record(application, viewer=applicant)
        sheet["rotation"] = _rotation_facts(record)
        hours = record.confirmed_hours
        sheet["hours_confirmed"] = str(hours) if hours else None
        sheet.update(_journal_facts(record.journal, dropped))
        sheet.update(_evaluation_facts(record.preceptor_evaluations, dropped))
    sheet["dropped_for_privacy"] = dropped[0]
    return sheet


def _fmt_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%b %d, %Y")
    except ValueError:
        return value


def brag_sheet_lines(sheet: dict[str, Any]) -> list[tuple[str, str]]:
    """The sheet as (style, text) lines; style is "h1", "h2", "p" or "li"."""
    lines: list[tuple[str, str]] = []
    person = sheet.get("applicant") or {}
    lines.append(("h1", _("Brag sheet: %(name)s") % {"name": person.get("name", "")}))
    school = ", ".join(
        str(p)
        for p in (
            person.get("medical_school"),
            person.get("country"),
            person.get("graduation_year") and _("class of %s") % person.get("graduation_year"),
        )
        if p
    )
    if school:
        lines.append(("p", school))
    if person.get("target_specialties"):
        lines.append(
            ("p", _("Applying in: %s") % ", ".join(person["target_specialties"])),
        )
    rotation = sheet.get("rotation")
    if rotation:
        lines.append(("h2", _("Rotation")))
        lines.append(("li", f"{rotation['title']} ({rotation['kind']}, {rotation['specialty']})"))
        where = rotation["site"] + (f", {rotation['location']}" if rotation["location"] else "")
        lines.append(("li", where))
        lines.append(
            (
                "li",
                _("%(start)s to %(end)s (%(weeks)s weeks)")
                % {
                    "start": _fmt_date(rotation["start"]),
                    "end": _fmt_date(rotation["end"]),
                    "weeks": rotation["weeks"],
                },
            )
        )
        if sheet.get("hours_confirmed"):
            lines.append(
                ("li", _("%s hours attended, confirmed by the site") % sheet["hours_confirmed"])
            )
    sections = (
        ("case_mix", _("Case mix")),
        ("roles", _("My role in logged cases")),
        ("procedures", _("Procedures")),
        ("skills", _("Skills and feedback")),
        ("teaching_points", _("Teaching points I took away")),
        ("evaluation_strengths", _("Strengths noted in evaluations")),
        ("top_competencies", _("Highest-rated competencies")),
    )
    for key, title in sections:
        items = sheet.get(key) or []
        if not items:
            continue
        lines.append(("h2", title))
        for item in items:
            text = f"{item['label']} ({item['count']})" if isinstance(item, dict) else str(item)
            lines.append(("li", text))
    if sheet.get("notes"):
        lines.append(("h2", _("In my own words")))
        lines.extend(("p", para) for para in sheet["notes"].split("\n") if para.strip())
    if sheet.get("attachments"):
        lines.append(("h2", _("Attached documents")))
        lines.extend(("li", f"{a['type']}: {a['name']}") for a in sheet["attachments"])
    return lines


def brag_sheet_text(sheet: dict[str, Any]) -> str:
    out: list[str] = []
    for style, text in brag_sheet_lines(sheet):
        if style == "h1":
            out.extend([text, "=" * min(len(text), 72), ""])
        elif style == "h2":
            out.extend(["", text, "-" * min(len(text), 72)])
        elif style == "li":
            out.append(f"- {text}")
        else:
            out.append(text)
    return "\n".join(out).strip() + "\n"


_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-"}
)


def _latin1(text: str) -> str:
    """The PDF core fonts are Latin-1: keep accents where possible, degrade the rest."""
    text = text.translate(_TYPOGRAPHY)
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def brag_sheet_pdf(sheet: dict[str, Any]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_auto_page_break(auto=True, margin=54)
    pdf.set_margins(54, 54, 54)
    pdf.set_title(_latin1(_("Brag sheet")))
    pdf.set_creator("Matchway")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for style, text in brag_sheet_lines(sheet):
        safe = _latin1(text)
        pdf.set_x(pdf.l_margin)
        if style == "h1":
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(width, 24, safe)
            pdf.ln(4)
        elif style == "h2":
            pdf.ln(8)
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(width, 18, safe)
        elif style == "li":
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(width, 15, f"-  {safe}")
        else:
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(width, 15, safe)
    return bytes(pdf.output())
