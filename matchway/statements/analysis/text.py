"""Tokenising helpers: words, sentences and paragraphs as spans of the analysed text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters only (any script), apostrophes allowed inside: "don't", "patient's".
# Hyphens split words so each half of "well-being" is checked on its own.
WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
_PARA_SPLIT_BLANK_RE = re.compile(r"(?:\r?\n[ \t\r\f\v]*){2,}")
_PARA_SPLIT_LINE_RE = re.compile(r"\r?\n")
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")


def word_set(spaced: str) -> frozenset[str]:
    """A word set written as one whitespace-separated string (easier to read and edit)."""
    return frozenset(spaced.split())


# Titles before a name never end a sentence: "Dr. Rao", "St. Louis".
_TITLES = word_set("dr mr mrs ms prof st mt ft jr sr dept approx vs cf")
# These end a sentence only when a capital follows: "in the U.S. hospital" vs "in the U.S."
_SOFT_ABBREVIATIONS = word_set("etc inc ltd co resp mbbs al fig")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    words: list[tuple[int, int, str]]


def count_words(text: str) -> int:
    """Whitespace-separated tokens that contain a letter or digit (what word processors count)."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def iter_words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), m.group())
        for m in WORD_RE.finditer(text, start, len(text) if end is None else end)
    ]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def paragraphs(text: str) -> list[Span]:
    """Blank-line separated blocks; if the text has no blank line, each line is a paragraph."""
    splitter = _PARA_SPLIT_BLANK_RE if _BLANK_LINE_RE.search(text) else _PARA_SPLIT_LINE_RE
    spans: list[Span] = []
    pos = 0
    for m in splitter.finditer(text):
        span = _trimmed(text, pos, m.start())
        if span:
            spans.append(span)
        pos = m.end()
    span = _trimmed(text, pos, len(text))
    if span:
        spans.append(span)
    return spans


def _is_boundary(text: str, m: re.Match[str], para_end: int) -> bool:
    if m.group().startswith("."):
        i = j = m.start()
        # Abbreviations are short; the bound keeps "x.x.x.x..." from going quadratic.
        while j > max(0, i - 12) and not text[j - 1].isspace():
            j -= 1
        token = text[j:i].lstrip("(\"'").lower()
        if token in _TITLES or (len(token) == 1 and token.isalpha()):  # or "J. Smith"
            return False
        if token in _SOFT_ABBREVIATIONS or "." in token:  # "e.g", "U.S", "a.m"
            nxt = m.end()
            while nxt < para_end and text[nxt].isspace():
                nxt += 1
            return not (nxt < para_end and text[nxt].islower())
    return True


def sentences(text: str, paras: list[Span] | None = None) -> list[Sentence]:
    """Sentences as spans; paragraph breaks always end a sentence (headings, lists)."""
    result: list[Sentence] = []
    for para in paras if paras is not None else paragraphs(text):
        pos = para.start
        for m in _SENTENCE_END_RE.finditer(text, para.start, para.end):
            if _is_boundary(text, m, para.end):
                _add_sentence(text, pos, m.end(), result)
                pos = m.end()
        _add_sentence(text, pos, para.end, result)
    return result


def _add_sentence(text: str, start: int, end: int, out: list[Sentence]) -> None:
    span = _trimmed(text, start, end)
    if span is None:
        return
    words = iter_words(text, span.start, span.end)
    if words:
        out.append(Sentence(span.start, span.end, text[span.start : span.end], words))
