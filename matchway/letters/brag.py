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
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from matchway.accounts.models import User
from matchway.documents.models import Document
from matchway.phi import find_phi
from matchway.reference.models import Competency, Specialty
from matchway.rotations.models import (
    Application,
    AttendanceRecord,
    Evaluation,
    EvaluationKind,
    JournalEntry,
    JournalKind,
)

BRAG_VERSION = 1
MAX_ITEMS = 8
MAX_SENTENCE_CHARS = 300
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")

# Journal form fields are owned by the experience feature; we recognise them by name so a
# renamed field degrades to "not shown" rather than to an error.
_CASE_KEYS = ("diagnosis", "chief_complaint", "complaint", "category")
_PROCEDURE_KEYS = ("procedure",)
_TEACHING_KEYS = ("teaching", "learn", "takeaway", "differently")
_SKILL_KEYS = ("skill", "feedback", "present")
_ROLE_KEYS = ("my_role", "role")


def _phi_free(sentences: Iterable[str], dropped: list[int]) -> list[str]:
    kept: list[str] = []
    for raw in sentences:
        sentence = " ".join(raw.split()).strip(" -•*")
        if not sentence:
            continue
        if find_phi(sentence):
            dropped[0] += 1
            continue
        kept.append(sentence[:MAX_SENTENCE_CHARS])
    return kept


_ABBREVIATION = re.compile(
    r"\b(?:mr|mrs|ms|mx|dr|prof|st|sr|jr|vs|no|approx|e\.g|i\.e|pt|pts)\.$", re.IGNORECASE
)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; "Mr. Jones" and "e.g. this" stay in one piece."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_SPLIT.finditer(text):
        piece = text[start : match.start()]
        if _ABBREVIATION.search(piece) and "\n" not in match.group(0):
            continue  # an abbreviation, not the end of a sentence
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentences_checked(value: Any, dropped: list[int]) -> list[str]:
    """Sentences of a free-text value, minus every sentence touching a PHI finding.

    The detector runs on the whole text first (context such as "patient" before a name
    can span sentences), then on each sentence alone.
    """
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out.extend(_sentences_checked(item, dropped))
        return out
    if not isinstance(value, str) or not value.strip():
        return []
    findings = find_phi(value)
    kept: list[str] = []
    for start, end in _sentence_spans(value):
        if any(f.start < end and f.end > start for f in findings):
            dropped[0] += 1
            continue
        kept.extend(_phi_free([value[start:end]], dropped))
    return kept


def _items(value: Any) -> list[str]:
    """Short list-like values ("ECG, lumbar puncture") split into items."""
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[;,\n]", value) if p.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _matching(data: dict[str, Any], keys: Sequence[str]) -> list[Any]:
    return [v for k, v in data.items() if any(key in k.lower() for key in keys)]


def _unique(items: Iterable[str], limit: int = MAX_ITEMS) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
        if len(out) >= limit:
            break
    return out


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
                for label in _phi_free(_items(value)[:1], dropped):
                    cases[label[:80]] += 1
            for value in _matching(data, _ROLE_KEYS)[:1]:
                for label in _phi_free(_items(value)[:1], dropped):
                    roles[label[:40].lower()] += 1
            for value in _matching(data, _PROCEDURE_KEYS):
                procedures.extend(_phi_free(_items(value), dropped))
        for value in _matching(data, _TEACHING_KEYS):
            teaching.extend(_sentences_checked(value, dropped))
        if entry.kind == JournalKind.REFLECTION:
            for value in _matching(data, _SKILL_KEYS):
                skills.extend(_sentences_checked(value, dropped))
    return {
        "case_mix": [{"label": k, "count": n} for k, n in cases.most_common(MAX_ITEMS)],
        "roles": [{"label": k, "count": n} for k, n in roles.most_common()],
        "procedures": _unique(procedures),
        "teaching_points": _unique(teaching),
        "skills": _unique(skills),
        "journal_entries": len(entries),
    }


def _evaluation_facts(evaluations: Sequence[Evaluation], dropped: list[int]) -> dict[str, Any]:
    names = dict(Competency.objects.values_list("code", "name"))
    strengths: list[str] = []
    scores: dict[str, list[int]] = {}
    recommend: list[str] = []
    for evaluation in evaluations:
        strengths.extend(_sentences_checked(evaluation.strengths, dropped))
        if evaluation.recommend_for_residency:
            recommend.append(evaluation.recommend_for_residency)
        for code, value in (evaluation.ratings or {}).items():
            if isinstance(value, int) and code in names:
                scores.setdefault(code, []).append(value)
    top = sorted(
        ((sum(v) / len(v), names[c]) for c, v in scores.items() if sum(v) / len(v) >= 4),
        reverse=True,
    )
    return {
        "evaluation_strengths": _unique(strengths),
        "top_competencies": [name for _avg, name in top],
        "evaluations": len(evaluations),
    }


def _rotation_facts(application: Application) -> dict[str, Any]:
    session = application.session
    rotation = session.rotation
    site = rotation.site
    specialty = Specialty.objects.filter(pk=rotation.specialty_id).first()
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
        "preceptors": [p.get_full_name() for p in rotation.preceptors.all()],
    }


def brag_sheet_build(
    *,
    applicant: User,
    application: Application | None,
    notes: str = "",
    attachments: Sequence[Document] = (),
) -> dict[str, Any]:
    """Assemble the snapshot. Reads only the applicant's own rotation record."""
    dropped = [0]
    profile = getattr(applicant, "applicant_profile", None)
    sheet: dict[str, Any] = {
        "version": BRAG_VERSION,
        "generated_at": timezone.now().isoformat(),
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
            {"id": d.pk, "type": d.type.name, "name": d.original_name} for d in attachments
        ],
    }
    if application is not None:
        sheet["rotation"] = _rotation_facts(application)
        hours = AttendanceRecord.objects.filter(application=application).aggregate(
            total=Sum("hours")
        )["total"]
        sheet["hours_confirmed"] = str(hours.quantize(Decimal("0.1"))) if hours else None
        entries = list(JournalEntry.objects.filter(application=application).order_by("entry_date"))
        sheet.update(_journal_facts(entries, dropped))
        evaluations = list(
            Evaluation.objects.filter(
                application=application,
                kind=EvaluationKind.PRECEPTOR,
                submitted_at__isnull=False,
            )
        )
        sheet.update(_evaluation_facts(evaluations, dropped))
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
