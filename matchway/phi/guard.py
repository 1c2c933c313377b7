"""The one PHI guard for free text that leaves its author (comments, messages, motivation).

Pure: it scans named fields and returns the findings per field, or raises `PhiFound`.
Each app's service maps that to `core.exceptions.PhiDetected` (HTTP 422 `phi_detected`
with the findings), so the text is refused before anything is stored, logged or sent.

Some texts legitimately name the people they are about: a letter request greets
"Dr. Rivera", is signed by the applicant and gives the rotation's dates. Those are not
patients, so the caller can pass them as `parties` (people's names, matched word by word)
and `known` (exact values such as emails, dates and IDs the reader already has); a finding
made only of them is not reported. Between colleagues, `physicians=True` also lets names
the detector itself reads as a physician's ("Dr. Chen", "Prof. Ito") through: a clinician
named as a teacher or colleague is not a patient identifier. Anything else still counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .detector import Finding, find_phi
from .names import PHYSICIAN

_TITLE = re.compile(r"^(?:Mrs|Mr|Ms|Mx|Miss|Dr|Prof|Professor|Rev)\b\.?\s*", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_](?:[\w'\u2019-]*\w)?")


class PhiFound(Exception):
    """Some fields hold possible patient identifiers; `findings` maps field → findings."""

    def __init__(self, findings: dict[str, list[Finding]]):
        super().__init__("possible patient identifiers")  # never the text itself
        self.findings = findings


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .,;:()")


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(_TITLE.sub("", text.strip()))}


class _Allowed:
    """The parties' names (word by word) and the known values (whole) of one text."""

    def __init__(self, parties: Iterable[str], known: Iterable[str], physicians: bool):
        self.physicians = physicians
        self.words: set[str] = set()
        for name in parties:
            self.words |= _words(name)
        self.values = {_norm(v) for v in (*parties, *known) if _norm(v)}

    def covers(self, finding: Finding) -> bool:
        if _norm(finding.text) in self.values:
            return True
        if finding.kind != "name":
            return False
        if self.physicians and finding.suggestion == PHYSICIAN:
            return True
        words = _words(finding.text)
        return bool(words) and words <= self.words


def phi_scan_fields(
    fields: Mapping[str, str | None],
    *,
    parties: Iterable[str] = (),
    known: Iterable[str] = (),
    physicians: bool = False,
) -> dict[str, list[Finding]]:
    """Findings per field name, only for fields that have some.

    `parties` are the names of the people the text is between (never patients); `known`
    are exact values its reader already has. Findings made only of them are left out, and
    with `physicians=True` names with a physician's title too.
    """
    allowed = _Allowed(list(parties), list(known), physicians)
    result: dict[str, list[Finding]] = {}
    for name, text in fields.items():
        found = [f for f in find_phi(text or "") if not allowed.covers(f)]
        if found:
            result[name] = found
    return result


def phi_guard(
    fields: Mapping[str, str | None], *, parties: Iterable[str] = (), known: Iterable[str] = ()
) -> None:
    """Raise `PhiFound` when any field holds a possible patient identifier."""
    findings = phi_scan_fields(fields, parties=parties, known=known)
    if findings:
        raise PhiFound(findings)
