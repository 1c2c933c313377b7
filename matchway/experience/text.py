"""Sentences from rotation free text, minus anything that looks like PHI. Pure Python.

The brag sheet, the statement workbench and the ERAS experience drafts all quote what an
applicant wrote in the journal and what a preceptor wrote in an evaluation. They share
these helpers so a sentence is split, cleaned and PHI-checked the same way everywhere.
No Django imports: unit-tested without a database.

PHI rule: a sentence with a finding is dropped whole and counted in `dropped[0]`. The
detector runs on the whole text first (context such as "patient" before a name can span
sentences), then on each sentence alone. A false positive costs one sentence; a false
negative would copy a patient identifier to a letter writer or a program.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from matchway.phi import find_phi

MAX_SENTENCE_CHARS = 300

T = TypeVar("T")

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_ABBREVIATION = re.compile(
    r"\b(?:mr|mrs|ms|mx|dr|prof|st|sr|jr|vs|no|approx|e\.g|i\.e|pt|pts)\.$", re.IGNORECASE
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; "Mr. Jones" and "e.g. this" stay in one piece.

    A sentence ends at ".", "!" or "?" followed by white space, or at a line break.
    Blank pieces are left out.
    """
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


def sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped (see `sentence_spans` for where they end)."""
    return [text[s:e].strip() for s, e in sentence_spans(text)]


def first_sentence(text: str) -> str:
    """The first sentence, ending in a full stop if it had no end punctuation ("" if none)."""
    parts = sentences(text)
    if not parts:
        return ""
    return parts[0] if parts[0][-1] in ".!?" else parts[0] + "."


def clean(text: str) -> str:
    """White space collapsed, list bullets and dashes trimmed from both ends."""
    return " ".join(text.split()).strip(" -•*")


def is_phi_free(text: str) -> bool:
    return not find_phi(text)


def phi_free_items(
    items: Iterable[str], dropped: list[int], *, max_chars: int = MAX_SENTENCE_CHARS
) -> list[str]:
    """Short items (a label, one sentence) cleaned; an item with a PHI finding is dropped."""
    kept: list[str] = []
    for raw in items:
        item = clean(raw)
        if not item:
            continue
        if find_phi(item):
            dropped[0] += 1
            continue
        kept.append(item[:max_chars])
    return kept


def strings(value: Any) -> list[str]:
    """Every string inside a JSON-like value (str, dict values, list items), in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    return []


def phi_free_sentences(
    texts: Any,
    dropped: list[int],
    *,
    min_chars: int = 1,
    max_chars: int = MAX_SENTENCE_CHARS,
) -> list[str]:
    """The sentences of `texts` (a string, or strings nested in lists/dicts) without PHI.

    Each text is checked whole, then sentence by sentence; a sentence touching a finding is
    dropped and counted in `dropped[0]`. Sentences shorter than `min_chars` after cleaning
    are skipped silently; kept ones are cut to `max_chars`.
    """
    kept: list[str] = []
    for text in strings(texts):
        if not text.strip():
            continue
        findings = find_phi(text)
        for start, end in sentence_spans(text):
            if len(clean(text[start:end])) < min_chars:
                continue
            if any(f.start < end and f.end > start for f in findings):
                dropped[0] += 1
                continue
            kept.extend(phi_free_items([text[start:end]], dropped, max_chars=max_chars))
    return kept


def unique(
    items: Iterable[T], limit: int, *, key: Callable[[T], Hashable] | None = None
) -> list[T]:
    """The first `limit` items, skipping repeats. Strings compare case-insensitively by
    default; pass `key` for other items (e.g. ``key=lambda d: d["text"].casefold()``)."""
    seen: set[Hashable] = set()
    out: list[T] = []
    for item in items:
        if len(out) >= limit:
            break
        marker = key(item) if key is not None else str(item).casefold()
        if marker in seen:
            continue
        seen.add(marker)
        out.append(item)
    return out
