"""Person names, found from the cues a journal writer actually uses.

Without a full NER model a capitalised word is only trusted as a name when something
vouches for it: a title ("Mrs. Gomez"), a patient or family cue ("pt Maria Lopez", "her
husband Carlos", "named ..."), or a given name from a hand-written list followed by a
surname. Eponyms ("Murphy sign", "Parkinson disease") are skipped by looking at the word
after the candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._model import Candidate
from ._name_data import AMBIGUOUS_FIRST_NAMES, EPONYM_FOLLOWERS, FIRST_NAMES, STOP_WORDS
from ._scan import Scan

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ\u0100-\u024f\u1e00-\u1eff"
# One name word: "Gomez", "O'Sullivan", "McAllister", "Fitzgerald-Ramos", "Nguyễn".
_TOKEN = (
    rf"[{_UPPER}](?:['\u2019][{_UPPER}])?[{_LOWER}]{{1,30}}(?:[{_UPPER}][{_LOWER}]{{1,30}})?"
    rf"(?:-[{_UPPER}][{_LOWER}]{{1,30}})?"
)
_GAP = r"[^\S\r\n]{1,3}"
_NAME_SEQ = rf"{_TOKEN}(?:{_GAP}{_TOKEN}){{0,2}}"

_TITLES = ("Mr", "Ms", "Mx", "Miss", "Dr", "Prof", "Rev")
_TITLED = re.compile(
    r"(?P<title>Mrs|Mr|Ms|Mx|Miss|Dr|Prof|Professor|Rev)\b\.?"
    rf"{_GAP}(?P<name>(?:[A-Z]\.{_GAP}){{0,2}}{_NAME_SEQ})"
)
_PATIENT_WORDS = ("patient", "pt", "named", "name", "goes", "known", "called")
_PATIENT_CUE = re.compile(
    r"(?P<cue>[Pp]atient|[Pp]t|[Nn]amed|[Nn]ame\s+is|[Nn]ame:|[Gg]oes\s+by|[Kk]nown\s+as|called)"
    rf"\.?,?{_GAP}(?P<name>{_NAME_SEQ})"
)
# "called" is a name cue only after a person noun: "a patient called X", not "called Radiology".
_PERSON_BEFORE = re.compile(
    r"\b(?:man|woman|boy|girl|gentleman|lady|person|someone|patient|child|baby)\s+$"
)
_FAMILY_WORDS = (
    "husband", "wife", "son", "daughter", "mother", "father", "mom", "dad", "brother", "sister",
    "partner", "spouse", "fianc", "boyfriend", "girlfriend", "grandson", "granddaughter",
    "grandmother", "grandfather", "grandma", "grandpa", "niece", "nephew", "aunt", "uncle",
    "cousin", "caregiver", "neighbo", "friend", "roommate",
)  # fmt: skip
_FAMILY_CUE = re.compile(
    r"(?:husband|wife|son|daughter|mother|father|mom|dad|brother|sister|partner|spouse"
    r"|fianc[ée]e?|boyfriend|girlfriend|grandson|granddaughter|grandmother|grandfather"
    r"|grandma|grandpa|niece|nephew|aunt|uncle|cousin|caregiver|neighbou?r|friend|roommate)"
    rf"(?:['\u2019]s)?,?{_GAP}(?P<name>{_TOKEN}(?:{_GAP}{_TOKEN})?)"
)
_TOKEN_RE = re.compile(_TOKEN)
_GAP_RE = re.compile(_GAP)
_WORD = re.compile(rf"(?<![\w'\u2019-]){_TOKEN}(?![\w'\u2019])")
_NEXT_WORD = re.compile(r"(?:['\u2019]s)?\s+([a-z]+)")
_SAINT_BEFORE = re.compile(r"\b(?:St|Saint|Ste)\.?\s+$")
_PHYSICIAN_TITLES = frozenset({"Dr", "Prof", "Professor"})
PHYSICIAN = "the physician"  # the suggestion for a name with a physician's title


def _is_eponym(text: str, end: int) -> bool:
    follower = _NEXT_WORD.match(text, end)
    return follower is not None and follower.group(1) in EPONYM_FOLLOWERS


def _trim(text: str, start: int, end: int) -> int:
    """Drop trailing stop words from a name run and return the new end (``start`` if empty)."""
    words = list(_TOKEN_RE.finditer(text, start, end))
    while words and words[-1].group() in STOP_WORDS:
        words.pop()
    return words[-1].end() if words else start


def _cued(
    scan: Scan, pattern: re.Pattern[str], cues: tuple[str, ...], suggestion: str
) -> Iterator[Candidate]:
    text = scan.text
    for m in scan.labelled(pattern, cues):
        is_called = "cue" in pattern.groupindex and m.group("cue") == "called"
        if is_called and scan.ends_with(_PERSON_BEFORE, m.start(), 12) is None:
            continue
        start = m.start("name")
        if text[start : m.end("name")].split()[0] in STOP_WORDS:
            continue
        end = _trim(text, start, m.end("name"))
        if end > start and not _is_eponym(text, end):
            yield Candidate("name", start, end, suggestion, 2)


def _titled(scan: Scan) -> Iterator[Candidate]:
    text = scan.text
    for m in scan.labelled(_TITLED, _TITLES, case_sensitive=True):
        first = m.group("name").split()[0]
        if first in STOP_WORDS:
            continue
        end = _trim(text, m.start("name"), m.end("name"))
        if end <= m.start("name") or _is_eponym(text, end):
            continue
        physician = m.group("title") in _PHYSICIAN_TITLES
        suggestion = PHYSICIAN if physician else "the patient"
        yield Candidate("name", m.start(), end, suggestion, 2)


def _gazetteer(text: str) -> Iterator[Candidate]:
    words = list(_WORD.finditer(text))
    for i, word in enumerate(words):
        if word.group() not in FIRST_NAMES:
            continue
        if _SAINT_BEFORE.search(text, max(0, word.start() - 8), word.start()):
            continue
        end = word.end()
        following = words[i + 1] if i + 1 < len(words) else None
        if (
            following is not None
            and _GAP_RE.fullmatch(text, end, following.start())
            and following.group() not in STOP_WORDS
        ):
            end = following.end()
        elif word.group() in AMBIGUOUS_FIRST_NAMES:
            continue
        if not _is_eponym(text, end):
            yield Candidate("name", word.start(), end, "[name]", 1)


def name_candidates(scan: Scan) -> Iterator[Candidate]:
    """Yield person names found by title, patient/family cue or given-name list."""
    yield from _titled(scan)
    yield from _cued(scan, _PATIENT_CUE, _PATIENT_WORDS, "[name]")
    yield from _cued(scan, _FAMILY_CUE, _FAMILY_WORDS, "[name]")
    yield from _gazetteer(scan.text)
