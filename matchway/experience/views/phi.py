"""Presentation of PHI findings: text split into plain and highlighted segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from matchway.phi import Finding

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
    actions: bool = True

    @property
    def html(self) -> SafeString:
        return render_marked(self, actions=self.actions)


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
    labels: dict[str, str],
    texts: dict[str, str],
    findings: dict[str, list[Finding]],
    *,
    actions: bool = True,
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
                key=key,
                label=label,
                segments=segments(texts.get(key, ""), marks),
                marks=marks,
                actions=actions,
            )
        )
    return result


def render_marked(field: ReviewField, *, actions: bool) -> SafeString:
    """The field's text with `<mark>`ed findings, built here rather than in a template:
    the container keeps white space as typed (pre-wrap), so no template indentation may
    leak between the segments. With `actions`, each mark is followed by its suggestion and
    Replace / Not PHI buttons that submit the hidden forms `phi-replace-<uid>` /
    `phi-dismiss-<uid>` rendered next to it."""
    parts: list[SafeString] = []
    for segment in field.segments:
        if segment.mark is None:
            parts.append(format_html("{}", segment.text))
            continue
        mark = segment.mark
        parts.append(
            format_html('<mark class="phi-mark" id="mark-{}">{}</mark>', mark.uid, segment.text)
        )
        suggestion = format_html(
            '<span class="phi-kind">{}</span> → <q>{}</q>', mark.label, mark.finding.suggestion
        )
        buttons = SafeString("")
        if actions:
            buttons = format_html(
                ' <button type="submit" form="phi-replace-{uid}" class="small" '
                'aria-label="{replace_label}">{replace}</button>'
                ' <button type="submit" form="phi-dismiss-{uid}" class="small secondary outline" '
                'aria-label="{dismiss_label}">{dismiss}</button>',
                uid=mark.uid,
                replace=gettext("Replace"),
                replace_label=gettext("Replace “%(text)s” with “%(suggestion)s”")
                % {"text": segment.text, "suggestion": mark.finding.suggestion},
                dismiss=gettext("Not PHI"),
                dismiss_label=gettext("“%(text)s” is not patient information")
                % {"text": segment.text},
            )
        parts.append(format_html('<span class="phi-actions">{}{}</span>', suggestion, buttons))
    return format_html_join("", "{}", ((part,) for part in parts))
