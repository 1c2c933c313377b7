"""Recognising specialties in free text: the target one and any other named as the goal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .types import ERROR, WARNING, Finding


@dataclass(frozen=True, slots=True)
class SpecialtyTerms:
    key: str
    terms: tuple[str, ...]  # lower-case field names and adjectives
    people: tuple[str, ...] = ()  # "pediatrician": used in "become a ..." goals
    acronyms: tuple[str, ...] = ()  # matched case-sensitively ("IM", not "im")
    group: str = ""  # entries in one group never count as a mismatch of each other


CATALOG: tuple[SpecialtyTerms, ...] = (
    SpecialtyTerms("internal_medicine", ("internal medicine",), ("internist",), ("IM",), "im"),
    SpecialtyTerms(
        "med_peds",
        ("internal medicine-pediatrics", "internal medicine and pediatrics", "med-peds"),
        group="im peds",
    ),
    SpecialtyTerms(
        "pediatrics",
        ("pediatrics", "paediatrics", "pediatric", "paediatric", "child health"),
        ("pediatrician", "paediatrician"),
        group="peds",
    ),
    SpecialtyTerms(
        "family_medicine",
        ("family medicine", "family practice"),
        ("family physician", "family doctor", "general practitioner"),
        ("FM",),
    ),
    SpecialtyTerms("psychiatry", ("psychiatry", "psychiatric"), ("psychiatrist",)),
    SpecialtyTerms("neurology", ("neurology",), ("neurologist",), group="neuro"),
    SpecialtyTerms("child_neurology", ("child neurology",), group="neuro peds"),
    SpecialtyTerms(
        "emergency_medicine",
        ("emergency medicine",),
        ("emergency physician", "emergency medicine physician"),
        ("EM",),
    ),
    SpecialtyTerms(
        "anesthesiology",
        ("anesthesiology", "anaesthesiology", "anesthesia", "anaesthesia"),
        ("anesthesiologist", "anaesthesiologist", "anaesthetist"),
    ),
    SpecialtyTerms("dermatology", ("dermatology",), ("dermatologist",)),
    SpecialtyTerms(
        "general_surgery",
        ("general surgery", "surgery", "surgical"),
        ("surgeon", "general surgeon"),
        group="surgery",
    ),
    SpecialtyTerms(
        "neurological_surgery",
        ("neurological surgery", "neurosurgery"),
        ("neurosurgeon",),
        group="surgery neuro",
    ),
    SpecialtyTerms(
        "obgyn",
        ("obstetrics and gynecology", "obstetrics and gynaecology", "obstetrics & gynecology"),
        ("obstetrician", "gynecologist", "gynaecologist"),
        ("OB/GYN", "OB-GYN", "OBGYN", "OB/Gyn"),
    ),
    SpecialtyTerms("ophthalmology", ("ophthalmology",), ("ophthalmologist",)),
    SpecialtyTerms(
        "orthopaedic_surgery",
        ("orthopaedic surgery", "orthopedic surgery", "orthopaedics", "orthopedics"),
        ("orthopaedic surgeon", "orthopedic surgeon"),
        group="surgery",
    ),
    SpecialtyTerms(
        "otolaryngology",
        ("otolaryngology", "head and neck surgery"),
        ("otolaryngologist",),
        ("ENT",),
        "surgery",
    ),
    SpecialtyTerms("pathology", ("pathology",), ("pathologist",)),
    SpecialtyTerms(
        "pmr",
        ("physical medicine and rehabilitation", "physiatry"),
        ("physiatrist",),
        ("PM&R", "PMR"),
    ),
    SpecialtyTerms("plastic_surgery", ("plastic surgery",), ("plastic surgeon",), group="surgery"),
    SpecialtyTerms("preventive_medicine", ("preventive medicine",)),
    SpecialtyTerms("occupational_medicine", ("occupational medicine",)),
    SpecialtyTerms(
        "diagnostic_radiology",
        ("diagnostic radiology", "radiology"),
        ("radiologist",),
        group="radiology",
    ),
    SpecialtyTerms(
        "interventional_radiology",
        ("interventional radiology",),
        ("interventional radiologist",),
        ("IR",),
        "radiology",
    ),
    SpecialtyTerms("radiation_oncology", ("radiation oncology",), ("radiation oncologist",)),
    SpecialtyTerms("urology", ("urology",), ("urologist",), group="surgery"),
    SpecialtyTerms(
        "vascular_surgery", ("vascular surgery",), ("vascular surgeon",), group="surgery"
    ),
    SpecialtyTerms(
        "thoracic_surgery",
        ("thoracic surgery", "cardiothoracic surgery"),
        ("thoracic surgeon",),
        group="surgery",
    ),
)
_BY_KEY = {entry.key: entry for entry in CATALOG}

# Applicants to a transitional or preliminary year legitimately name their advanced
# specialty as the goal, so a mismatch check would be wrong for them.
_PRELIM_RE = re.compile(r"transitional|preliminary|prelim\b", re.IGNORECASE)


def _phrase(term: str) -> str:
    return r"\s+".join(re.escape(part) for part in term.split())


def _term_alternation(terms: list[str]) -> str:
    # Longest first so "general surgery" wins over "surgery".
    return "|".join(_phrase(t) for t in sorted(set(terms), key=len, reverse=True))


_ALL_FIELD_TERMS = {t: e.key for e in CATALOG for t in e.terms}
_ALL_PEOPLE_TERMS = {t: e.key for e in CATALOG for t in e.people}
_ALL_ACRONYMS = {a: e.key for e in CATALOG for a in e.acronyms}
_FIELD = _term_alternation(list(_ALL_FIELD_TERMS) + list(_ALL_ACRONYMS))
_PEOPLE = _term_alternation(list(_ALL_PEOPLE_TERMS))

# A specialty named as the goal, not as a past rotation: "residency in pediatrics",
# "a career in psychiatry", "pursue surgery", "pediatrics residency", "become a surgeon".
_GOAL_RES = (
    re.compile(
        r"\b(?:residency|residencies|career|future|specialization|specialisation|match)\s+"
        r"(?:\w+\s+){0,2}?in\s+"
        rf"(?:the\s+(?:field|specialty)\s+of\s+)?(?P<term>{_FIELD})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<term>{_FIELD})\s+(?:residency|residencies|residency\s+program|"
        r"training\s+program|program|programme)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:pursue|pursuing|specialize|specialise|specializing|specialising|"
        r"apply(?:ing)?\s+(?:to|for|in)|match(?:ing)?\s+(?:into|in))\s+"
        rf"(?:a\s+career\s+in\s+|training\s+in\s+)?(?P<term>{_FIELD})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?:become|becoming|be|work\s+as|career\s+as)\s+an?\s+(?P<term>{_PEOPLE})\b",
        re.IGNORECASE,
    ),
)


def _lookup(matched: str) -> str | None:
    key = " ".join(matched.split())
    if key in _ALL_ACRONYMS:  # exact case for acronyms: "EM" yes, "em" no
        return _ALL_ACRONYMS[key]
    low = key.lower()
    return _ALL_FIELD_TERMS.get(low) or _ALL_PEOPLE_TERMS.get(low)


def _core_names(name: str) -> list[str]:
    """'Internal Medicine (Categorical)' -> ['internal medicine'];
    'Otolaryngology - Head and Neck Surgery' -> both halves."""
    name = re.sub(r"\([^)]*\)", " ", name)
    parts = [p.strip().lower() for p in re.split(r"\s+[-\u2013\u2014]\s+", name)]
    return [" ".join(p.split()) for p in parts if p]


@dataclass(frozen=True, slots=True)
class Target:
    keys: frozenset[str]
    groups: frozenset[str]
    pattern: re.Pattern[str] | None
    acronyms_pattern: re.Pattern[str] | None
    prelim: bool


@lru_cache(maxsize=256)
def _target(specialty_name: str, aliases: tuple[str, ...]) -> Target:
    names = _core_names(specialty_name) + [a.strip() for a in aliases if a.strip()]
    keys: set[str] = set()
    for name in names:
        low = name.lower()
        for entry in CATALOG:
            if low in entry.terms or low in entry.people or name in entry.acronyms:
                keys.add(entry.key)
    # A name we do not list verbatim ("Neurological Surgery Track") maps through the
    # longest catalog term inside it, so "neurological surgery" wins over "surgery".
    if not keys:
        for name in names:
            inside = [t for t in _ALL_FIELD_TERMS if re.search(rf"\b{_phrase(t)}\b", name.lower())]
            hit = _lookup(name) or (_ALL_FIELD_TERMS[max(inside, key=len)] if inside else None)
            if hit:
                keys.add(hit)
    words = [n for n in names if not n.isupper()]
    acronyms = [n for n in names if n.isupper()]
    for key in keys:
        words += list(_BY_KEY[key].terms) + list(_BY_KEY[key].people)
        acronyms += list(_BY_KEY[key].acronyms)
    groups = {g for k in keys for g in _BY_KEY[k].group.split()}
    return Target(
        keys=frozenset(keys),
        groups=frozenset(groups),
        pattern=re.compile(rf"\b(?:{_term_alternation(words)})", re.IGNORECASE) if words else None,
        acronyms_pattern=re.compile(rf"\b(?:{_term_alternation(acronyms)})\b")
        if acronyms
        else None,
        prelim=bool(_PRELIM_RE.search(specialty_name)),
    )


def _mentions(target: Target, text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in (target.pattern, target.acronyms_pattern):
        if pattern is not None:
            spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    return spans


def specialty_findings(
    text: str, specialty_name: str | None, aliases: tuple[str, ...]
) -> list[Finding]:
    if not specialty_name or not specialty_name.strip():
        return []
    target = _target(specialty_name.strip(), aliases)
    target_spans = _mentions(target, text)
    findings: list[Finding] = []
    label = specialty_name.strip()
    if not target_spans:
        findings.append(
            Finding(
                "specialty_missing",
                WARNING,
                0,
                0,
                f"The statement never names {label}.",
                f"Say plainly that you are applying in {label} and give your reason for it.",
            )
        )
    if target.prelim:
        return findings
    seen: set[tuple[int, int]] = set()
    for pattern in _GOAL_RES:
        for m in pattern.finditer(text):
            start, end = m.span("term")
            key = _lookup(m.group("term"))
            if key is None or key in target.keys or (start, end) in seen:
                continue
            if set(_BY_KEY[key].group.split()) & target.groups:
                continue
            # "neurological surgery residency" also contains "surgery": a target mention
            # covering the same words wins.
            if any(s <= start and end <= e for s, e in target_spans):
                continue
            seen.add((start, end))
            findings.append(
                Finding(
                    "specialty_mismatch",
                    # With no mention of the target at all this is very likely a statement
                    # written for another specialty and reused.
                    ERROR if not target_spans else WARNING,
                    start,
                    end,
                    f"'{m.group('term')}' reads as your goal, but this statement is for {label}.",
                    f"If this statement goes to {label} programs, rewrite this part around "
                    f"{label}.",
                )
            )
    return findings
