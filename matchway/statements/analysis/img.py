"""Checks specific to international medical graduates: US clinical experience, naming a
program in a general statement (or the wrong one in a program-specific one), and an
unexplained gap since graduation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .text import Sentence, word_set
from .types import ERROR, WARNING, Finding

# Programs commonly filter on years since graduation; the usual cut-offs are 3-5 years,
# and an unexplained gap beyond that draws questions.
GRADUATION_GAP_YEARS = 3

_US = r"(?:US|U\.S\.?|USA|U\.S\.A\.?|United\s+States|America)"
_USCE_RE = re.compile(
    rf"\b(?i:in)\s+(?:(?i:the)\s+)?{_US}(?![A-Za-z])"
    rf"|\b(?:{_US}|American)\s+(?:[a-z-]+\s+){{0,2}}?"
    r"(?i:hospitals?|clinics?|health|healthcare|medical|clinical|residents?|physicians?|"
    r"patients?|rotations?|experience|attendings?|system)\b"
    r"|(?i:\b(?:USCE|observerships?|externships?|clerkships?|sub-?internships?|"
    r"away\s+rotations?))"
)

_GAP_EXPLAINED_RE = re.compile(
    r"\b(?:research|worked|working|work\s+as|employ\w*|clinical\s+experience|"
    r"family(?!\s+(?:medicine|physician|practice|doctor))|visas?|exam\s+prep\w*|"
    r"prepar\w*\s+for\s+(?:the\s+|my\s+)?(?:USMLE|Step|exams?|boards?)|studied\s+for|gap|"
    r"(?:since|after)\s+(?:my\s+)?graduat\w*|time\s+away|maternity|paternity|parental\s+leave|"
    r"caregiv\w*|illness|military|national\s+service|practi[cs](?:ed|ing)\s+(?:as|medicine)|"
    r"medical\s+officer|house\s+officer|general\s+practitioner|master'?s|MPH|PhD)\b",
    re.IGNORECASE,
)

# Names stay on one line and do not run through a full stop ("St." excepted).
_CAP = r"(?:St\.|[A-Z][\w'&-]*)"
_NAME = rf"(?:{_CAP}[ \t]+(?:(?:of|and|&|the|for)[ \t]+)?){{1,5}}"
_INSTITUTION_SUFFIX = (
    r"(?:Medical[ \t]+Cent(?:er|re)|Hospitals?|Health[ \t]+System|Health[ \t]+Cent(?:er|re)|"
    r"Health|Healthcare|Medical[ \t]+College|(?:School|College)[ \t]+of[ \t]+Medicine|Clinic|"
    r"Infirmary)"
)
_INSTITUTION_RES = (
    re.compile(rf"\b{_NAME}{_INSTITUTION_SUFFIX}\b"),
    re.compile(rf"\bUniversity[ \t]+of[ \t]+(?:the[ \t]+)?{_CAP}(?:[ \t]+{_CAP}){{0,3}}"),
    re.compile(rf"\b{_NAME}University\b"),
)
# Capitalised only because they start a sentence or a clause, not part of a name.
# A name that the sentence itself says is a program, with or without "Hospital" in it:
# "your program at Mercy General", "Riverside's residency program".
_CAPS_RUN = rf"{_CAP}(?:[ \t]+(?:(?:of|and|&|the|for)[ \t]+)?{_CAP}){{0,5}}"
_PROGRAM_AT_RE = re.compile(
    r"\b(?:your|the|this)[ \t]+(?:[\w-]+[ \t]+){0,3}?(?:residency[ \t]+)?program(?:me)?"
    rf"[ \t]+(?:at|of|in)[ \t]+(?:the[ \t]+)?(?P<name>{_CAPS_RUN})",
)
_POSSESSIVE_PROGRAM_RE = re.compile(
    rf"(?P<name>{_CAPS_RUN})['\u2019]s[ \t]+(?:[\w-]+[ \t]+){{0,3}}?(?:residency|program(?:me)?)\b"
)
_LEADING_NOISE = word_set(
    "The At In During My Our Your This That While After Before When As From With I A An "
    "Since Working Joining Training Rotating Then"
)
_AFTER_IS_PROGRAM_RE = re.compile(
    r"(?:'s)?\s+(?:[A-Z][\w&/-]*\s+){0,4}(?:[Rr]esidency|[Pp]rogram(?:me)?)\b"
)
_BEFORE_IS_PROGRAM_RE = re.compile(
    r"(?<!my\s)(?:residency\s+program|residency|program|programme)\s+(?:at|of|with)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
_INTENT_RE = re.compile(
    r"\b(?:your|join|joining|look(?:ing)?\s+forward|excited\s+to|eager\s+to|hope\s+to|"
    r"would\s+be\s+(?:honou?red|proud|thrilled|privileged|grateful)|match\s+(?:at|with|into))\b",
    re.IGNORECASE,
)
# Words that do not tell one institution from another when comparing names.
_GENERIC = word_set(
    "university of the at hospital hospitals medical medicine center centre health healthcare "
    "system college school clinic program programme residency internal family and & in for "
    "department institute general teaching academic campus network pediatrics psychiatry "
    "neurology surgery track categorical preliminary im fm"
)


def usce_findings(text: str) -> list[Finding]:
    if _USCE_RE.search(text):
        return []
    return [
        Finding(
            "no_usce_mention",
            WARNING,
            0,
            0,
            "No mention of US clinical experience; many programs screen IMGs for it.",
            "Name your observership, externship or clerkship in the US (where, what you did, "
            "what you learned about the US system).",
        )
    ]


def graduation_gap_findings(
    text: str, graduation_year: int | None, current_year: int
) -> list[Finding]:
    if graduation_year is None:
        return []
    gap = current_year - graduation_year
    if gap <= GRADUATION_GAP_YEARS or _GAP_EXPLAINED_RE.search(text):
        return []
    return [
        Finding(
            "graduation_gap",
            WARNING,
            0,
            0,
            f"You graduated in {graduation_year}, {gap} years ago, and the statement does not "
            "say what you have done since.",
            "Add a sentence or two on those years (clinical work, research, exam preparation, "
            "family or visa reasons); programs look for recent, continuous clinical activity.",
        )
    ]


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    name: str


def _tokens(name: str) -> set[str]:
    words = re.findall(r"[a-z0-9&']+", name.lower().replace("'s ", " "))
    return {w.removesuffix("'s") for w in words} - _GENERIC


def same_program(found: str, label: str) -> bool:
    a, b = _tokens(found), _tokens(label)
    if not a or not b:
        fa, fb = " ".join(found.lower().split()), " ".join(label.lower().split())
        return fa in fb or fb in fa
    return len(a & b) / min(len(a), len(b)) >= 0.5


@lru_cache(maxsize=64)
def _known_names_re(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation for all known names (a tracker may list hundreds), longest first."""
    phrases = [r"\s+".join(re.escape(p) for p in n.split()) for n in names if n.split()]
    if not phrases:
        return None
    phrases.sort(key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(phrases)})(?!\w)", re.IGNORECASE)


def _trim_leading_noise(text: str, start: int, end: int) -> int:
    while True:
        m = re.match(r"(\S+)\s+", text[start:end])
        if not m or m.group(1) not in _LEADING_NOISE:
            return start
        start += m.end()


def _institution_mentions(text: str, sents: list[Sentence]) -> list[_Mention]:
    raw: list[tuple[int, int]] = []
    for pattern in _INSTITUTION_RES:
        for m in pattern.finditer(text):
            start = _trim_leading_noise(text, m.start(), m.end())
            end = m.end()
            while end > start and text[end - 1] in ".'-":
                end -= 1
            if start < end and " " in text[start:end].strip():
                raw.append((start, end))
    named: set[tuple[int, int]] = set()
    for pattern in (_PROGRAM_AT_RE, _POSSESSIVE_PROGRAM_RE):
        for m in pattern.finditer(text):
            start = _trim_leading_noise(text, m.start("name"), m.end("name"))
            end = m.end("name")
            while end > start and text[end - 1] in ".'-":
                end -= 1
            if start < end and _tokens(text[start:end]):  # not just "Internal Medicine"
                raw.append((start, end))
                named.add((start, end))
    # Longest first, then drop anything overlapping a mention already kept.
    raw.sort(key=lambda se: (se[0] - se[1], se[0]))
    kept: list[tuple[int, int]] = []
    for start, end in raw:
        if all(end <= s or start >= e for s, e in kept):
            kept.append((start, end))
    mentions = []
    for start, end in sorted(kept):
        sentence = next((s for s in sents if s.start <= start < s.end), None)
        sent_start = sentence.start if sentence else max(0, start - 200)
        sent_text = sentence.text if sentence else text[sent_start : end + 200]
        name = text[start:end]
        if (
            (start, end) in named
            or re.search(r"[Rr]esidency|[Pp]rogram", name)
            or _AFTER_IS_PROGRAM_RE.match(text, end)
            or _BEFORE_IS_PROGRAM_RE.search(text[sent_start:start])
            or _INTENT_RE.search(sent_text)
        ):
            mentions.append(_Mention(start, end, name))
    return mentions


def program_findings(
    text: str,
    sents: list[Sentence],
    program_label: str | None,
    known_program_names: Sequence[str],
) -> list[Finding]:
    mentions: list[_Mention] = []
    known_re = _known_names_re(tuple(sorted({k.strip() for k in known_program_names if k})))
    if known_re is not None:
        mentions += [_Mention(m.start(), m.end(), m.group()) for m in known_re.finditer(text)]
    for mention in _institution_mentions(text, sents):
        if all(mention.end <= m.start or mention.start >= m.end for m in mentions):
            mentions.append(mention)
    label = (program_label or "").strip()
    findings = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if not label:
            findings.append(
                Finding(
                    "program_named",
                    WARNING,
                    mention.start,
                    mention.end,
                    f"This statement goes to every program; it names {mention.name}.",
                    "Remove the name so the statement fits every program, or make a copy "
                    "for this program and set its program label.",
                )
            )
        elif not same_program(mention.name, label):
            findings.append(
                Finding(
                    "wrong_program",
                    ERROR,
                    mention.start,
                    mention.end,
                    f"Names '{mention.name}', but this statement is for {label}.",
                    f"Replace it with {label} or remove it; programs notice another "
                    "program's name.",
                )
            )
    return findings
