"""The one PHI guard for free text that leaves its author (comments, messages, motivation).

Pure: it scans named fields and returns the findings per field, or raises `PhiFound`.
Each app's service maps that to `core.exceptions.PhiDetected` (HTTP 422 `phi_detected`
with the findings), so the text is refused before anything is stored, logged or sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from .detector import Finding, find_phi


class PhiFound(Exception):
    """Some fields hold possible patient identifiers; `findings` maps field → findings."""

    def __init__(self, findings: dict[str, list[Finding]]):
        super().__init__("possible patient identifiers")  # never the text itself
        self.findings = findings


def phi_scan_fields(fields: Mapping[str, str | None]) -> dict[str, list[Finding]]:
    """Findings per field name, only for fields that have some."""
    result: dict[str, list[Finding]] = {}
    for name, text in fields.items():
        found = find_phi(text or "")
        if found:
            result[name] = found
    return result


def phi_guard(fields: Mapping[str, str | None]) -> None:
    """Raise `PhiFound` when any field holds a possible patient identifier."""
    findings = phi_scan_fields(fields)
    if findings:
        raise PhiFound(findings)
