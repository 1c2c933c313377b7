"""Presentation of PHI findings: text split into plain and highlighted segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from matchway.core.phi import Finding

KIND_LABELS: dict[str, Any] = {
    "name": _("Name"),
    "date": _("Date tied to a person"),
    "age": _("Age over 89"),
    "phone": _("Phone number"),
    "fax": _("Fax number"),
    "email": _("Email address"),
    "ssn": _("Social Security number"),
    "mrn": _("Medical record number"),
    "account": _("Account number"),
    "id": _("ID number"),
    "address": _("Street address"),
    "zip": _("ZIP code"),
    "url": _("Web address"),
    "ip": _("IP address"),
    "device": _("Device or serial number"),
    "plate": _("Licence plate"),
}


@dataclass(frozen=True)
class Marked:
    """One finding as shown: its position, label and a stable id for the page."""

    uid: str
    finding: Finding
    field: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.finding.kind, self.finding.kind))


@dataclass(frozen=True)
class Segment:
    text: str
    mark: Marked | None = None


@dataclass(frozen=True)
class ReviewField:
    key: str
    label: str
    segments: list[Segment]
    marks: list[Marked]


def segments(text: str, marks: list[Marked]) -> list[Segment]:
    out: list[Segment] = []
    cursor = 0
    for mark in sorted(marks, key=lambda m: m.finding.start):
        if mark.finding.start < cursor:
            continue  # the detector never overlaps; be safe anyway
        if mark.finding.start > cursor:
            out.append(Segment(text[cursor : mark.finding.start]))
        out.append(Segment(text[mark.finding.start : mark.finding.end], mark))
        cursor = mark.finding.end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return out


def review_fields(
    labels: dict[str, str], texts: dict[str, str], findings: dict[str, list[Finding]]
) -> list[ReviewField]:
    """Fields with findings, in form order, ready for `<mark>` highlighting."""
    result: list[ReviewField] = []
    for key, label in labels.items():
        found = findings.get(key)
        if not found:
            continue
        marks = [Marked(uid=f"{key}-{i}", finding=f, field=key) for i, f in enumerate(found)]
        result.append(
            ReviewField(
                key=key, label=label, segments=segments(texts.get(key, ""), marks), marks=marks
            )
        )
    return result
