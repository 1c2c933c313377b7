"""Spelling with pyspellchecker plus our medical allow-list.

pyspellchecker ships its English word list inside the package, so nothing is fetched.
Building the checker reads and decompresses that list (about half a second), so one
instance is built lazily and shared by every analysis in the process.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

from spellchecker import SpellChecker

from .text import iter_words
from .types import INFO, WARNING, Finding

_MEDICAL_WORDS_FILE = Path(__file__).with_name("medical_words.txt")
_TOKEN_RE = re.compile(r"\S+")
# Longer "words" are pasted junk (URLs without a scheme, base64); checking them is pointless
# and generating their edits would take seconds.
_MAX_WORD_LEN = 30
# Each suggestion costs about a millisecond; a statement pasted in another language could
# have thousands of unknown words, so only the first ones get a suggestion.
_MAX_SUGGESTIONS = 80

# British -> American rewrites, tried one at a time. Many IMGs learned British spelling;
# it is not a typo, but US readers notice it, so it gets its own gentler finding.
_BRITISH_TO_US = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"is(e|ed|es|ing|ation|ations)$", r"iz\1"),
        (r"ys(e|ed|es|ing)$", r"yz\1"),
        (r"our(s|ed|ing|able|ite|ites)?$", r"or\1"),
        (r"tre(s)?$", r"ter\1"),
        (r"tred$", "tered"),
        (r"ae", "e"),
        (r"oe", "e"),
        (r"ll(ed|ing|er|ers)$", r"l\1"),
        (r"ogue(s)?$", r"og\1"),
        (r"ence$", "ense"),
        (r"mme$", "m"),
    )
)

_lock = threading.Lock()
_checker: SpellChecker | None = None


@lru_cache(maxsize=1)
def medical_words() -> frozenset[str]:
    """Our allow-list (medical_words.txt), lower-case."""
    lines = _MEDICAL_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def get_checker() -> SpellChecker:
    """The process-wide spell checker (built on first use, thread-safe)."""
    global _checker
    if _checker is None:
        with _lock:
            if _checker is None:
                checker = SpellChecker(language="en", distance=1)
                # Loading the allow-list into the checker also lets it suggest "tachycardia"
                # for "tachycardai", not just accept the correct spelling.
                checker.word_frequency.load_words(sorted(medical_words()))
                _checker = checker
    return _checker


@lru_cache(maxsize=4096)
def suggest(word: str) -> str | None:
    """Best known word one edit away (typos are almost always one edit).

    Two edits would catch a few more, but costs about a second per word without an
    answer, which a statement full of unknown words would multiply.
    """
    checker = get_checker()
    candidates = checker.known(checker.edit_distance_1(word))
    if not candidates:
        return None
    # Most frequent first; alphabetical among ties so the result is deterministic.
    return min(candidates, key=lambda c: (-checker[c], c))


@lru_cache(maxsize=4096)
def american_spelling(word: str) -> str | None:
    """'recognise' -> 'recognize' when the word is a British variant of a known US word."""
    checker = get_checker()
    for pattern, replacement in _BRITISH_TO_US:
        us = pattern.sub(replacement, word)
        if us != word and us in checker:
            return us
    return None


def _is_checkable(word: str) -> bool:
    # Capitalised words are names, places, programs and acronyms: a dictionary cannot judge
    # them, and flagging "Lagos" or "USMLE" would drown the real typos.
    return word.islower() and word.isascii()


def spelling_findings(text: str, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    # Addresses and links are not words; their parts would all be "misspelled".
    skip = [
        (m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if "@" in m.group() or m.group().lower().startswith(("http://", "https://", "www."))
    ]
    allowed = medical_words() | ignore
    candidates: list[tuple[int, int, str]] = []
    for start, _end, word in iter_words(text):
        if not _is_checkable(word):
            continue
        base = word[:-2] if word.endswith("'s") else word
        if not 2 <= len(base) <= _MAX_WORD_LEN or base in allowed:
            continue
        if skip and any(s <= start < e for s, e in skip):
            continue
        candidates.append((start, start + len(base), base))
    if not candidates:
        return []
    unknown = get_checker().unknown({w for _, _, w in candidates})
    suggested: set[str] = set()
    findings = []
    for start, end, word in candidates:
        if word not in unknown:
            continue
        us = american_spelling(word)
        if us:
            findings.append(
                Finding(
                    "spelling",
                    INFO,
                    start,
                    end,
                    f"'{word}' is British spelling.",
                    f"US programs read American spelling: '{us}'.",
                )
            )
            continue
        fix = None
        if word in suggested or len(suggested) < _MAX_SUGGESTIONS:
            suggested.add(word)
            fix = suggest(word)
        findings.append(
            Finding(
                "spelling",
                WARNING,
                start,
                end,
                f"'{word}' may be misspelled.",
                f"Did you mean '{fix}'?"
                if fix
                else "Check the spelling; if it is a correct technical term, ignore this.",
            )
        )
    return findings
