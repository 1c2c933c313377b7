"""Value types returned by the statement analyser (shared by every check module)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["info", "warning", "error"]

INFO: Severity = "info"
WARNING: Severity = "warning"
ERROR: Severity = "error"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the text.

    ``start``/``end`` are Python ``str`` indices into the text that was analysed;
    whole-text findings use ``(0, 0)``.
    """

    kind: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class AnalysisResult:
    characters: int  # what ERAS measures (letters, numbers, spaces, punctuation)
    words: int  # context only
    pages: float  # context only: characters / style.CHARS_PER_PAGE_MID (an estimate)
    paragraphs: int
    readability: dict[str, float | str]
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the API and the stored result use exactly this shape)."""
        return {
            "characters": self.characters,
            "words": self.words,
            "pages": self.pages,
            "paragraphs": self.paragraphs,
            "readability": dict(self.readability),
            "findings": [f.as_dict() for f in self.findings],
        }

    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings}


@dataclass(frozen=True, slots=True)
class NormalizationChange:
    """One replacement made by ``normalize_plain_text``; offsets refer to the original text."""

    start: int
    end: int
    before: str
    after: str
    reason: str
