"""Cheap anchoring so each rule runs only where it can possibly match.

CPython's ``re`` pays roughly a microsecond per thousand characters for every pattern that
sweeps the whole text, and the detector has dozens of rules. Instead, rules are tried with
``pattern.match`` only at anchors found once per text: the start of each digit run, or the
word-initial occurrences of a rule's label words found with ``str.find`` (C speed).
Patterns keep their own look-behinds, which ``match(text, pos)`` still evaluates against
the characters before ``pos``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_DIGIT_RUN = re.compile(r"\d+")


class Scan:
    """A text plus lazily built anchor indexes shared by all rules."""

    __slots__ = ("_digit_starts", "lower", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        # A few characters (e.g. "İ") grow when lower-cased, which would shift every offset;
        # fall back to lowering only the characters that keep their length.
        if len(lowered) != len(text):
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        self.lower = lowered
        self._digit_starts: list[int] | None = None

    def digit_starts(self) -> list[int]:
        """Start of every digit run that begins a word (not "A123" or "x2")."""
        if self._digit_starts is None:
            text = self.text
            self._digit_starts = [
                m.start()
                for m in _DIGIT_RUN.finditer(text)
                if m.start() == 0 or not text[m.start() - 1].isalnum()
            ]
        return self._digit_starts

    def word_starts(self, needles: Iterable[str], *, case_sensitive: bool = False) -> list[int]:
        """Sorted positions where a needle begins a word; needles are lower-case unless
        ``case_sensitive``."""
        hay = self.text if case_sensitive else self.lower
        found: set[int] = set()
        for needle in needles:
            pos = hay.find(needle)
            while pos >= 0:
                if pos == 0 or not hay[pos - 1].isalnum():
                    found.add(pos)
                pos = hay.find(needle, pos + 1)
        return sorted(found)

    def match_at(
        self, pattern: re.Pattern[str], positions: Iterable[int]
    ) -> Iterator[re.Match[str]]:
        text = self.text
        for pos in positions:
            m = pattern.match(text, pos)
            if m is not None:
                yield m

    def labelled(
        self, pattern: re.Pattern[str], needles: Iterable[str], *, case_sensitive: bool = False
    ) -> Iterator[re.Match[str]]:
        """Matches of a label-led pattern, tried only where one of its labels starts."""
        return self.match_at(pattern, self.word_starts(needles, case_sensitive=case_sensitive))

    def ends_with(
        self, pattern: re.Pattern[str], end: int, width: int = 40
    ) -> re.Match[str] | None:
        """Search ``pattern`` (anchored with ``$``) in the ``width`` characters before ``end``."""
        return pattern.search(self.text, max(0, end - width), end)
