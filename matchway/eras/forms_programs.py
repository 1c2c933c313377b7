"""Forms for the program side: a program with one row per requirement kind, CSV import,
target status/notes/signal/documents. Validation of the program itself lives in the service
(the API uses the same one); these forms only parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchway.reference.models import Specialty, State

from .models import PositionType, RequirementKind, Signal, Strictness, TargetStatus
from .services.programs import ProgramInput, RequirementInput

REQ_FIELDS = ("value", "strictness", "source_url", "checked_on")


class ProgramForm(forms.Form):
    acgme_id = forms.CharField(
        label=_("ACGME program ID"),
        max_length=20,
        help_text=_("10 digits, as on the ACGME program search."),
    )
    nrmp_code = forms.CharField(
        label=_("NRMP program code"),
        max_length=20,
        required=False,
        help_text=_("Optional: 7 digits, a capital letter and a digit, for example 1234140C0."),
    )
    name = forms.CharField(label=_("Program name"), max_length=200)
    specialty = forms.ChoiceField(label=_("Specialty"))
    position_type = forms.ChoiceField(label=_("Position type"), choices=PositionType.choices)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.code, s.name) for s in Specialty.objects.order_by("name")
        ]
        self.fields["state"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.code, f"{s.name} ({s.code})") for s in State.objects.order_by("name")
        ]
        for kind, label in RequirementKind.choices:
            self.fields[f"req_{kind}_value"] = forms.CharField(
                label=label, max_length=200, required=False
            )
            self.fields[f"req_{kind}_strictness"] = forms.ChoiceField(
                label=_("Strictness"),
                choices=Strictness.choices,
                initial=Strictness.UNKNOWN,
                required=False,
            )
            self.fields[f"req_{kind}_source_url"] = forms.URLField(
                label=_("Source"), required=False, assume_scheme="https"
            )
            self.fields[f"req_{kind}_checked_on"] = forms.DateField(
                label=_("Checked on"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def program_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ProgramInput.__dataclass_fields__ if name in self.fields]

    def requirement_rows(self) -> list[dict[str, Any]]:
        return [
            {"kind": kind, "label": label, "fields": [self[f"req_{kind}_{f}"] for f in REQ_FIELDS]}
            for kind, label in RequirementKind.choices
        ]

    def to_input(self) -> ProgramInput:
        data = self.cleaned_data
        return ProgramInput(
            acgme_id=data["acgme_id"],
            name=data["name"],
            specialty=data["specialty"],
            position_type=data["position_type"],
            state=data.get("state") or "",
            city=data.get("city") or "",
            nrmp_code=data.get("nrmp_code") or "",
            website=data.get("website") or "",
            requirements=[
                RequirementInput(
                    kind=kind,
                    value=data.get(f"req_{kind}_value") or "",
                    strictness=data.get(f"req_{kind}_strictness") or Strictness.UNKNOWN,
                    source_url=data.get(f"req_{kind}_source_url") or "",
                    checked_on=data.get(f"req_{kind}_checked_on"),
                )
                for kind in RequirementKind.values
            ],
        )

    @classmethod
    def initial_from(cls, data: ProgramInput) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(data, name)
            for name in ("acgme_id", "nrmp_code", "name", "specialty", "position_type", "city")
        }
        initial.update(state=data.state, website=data.website)
        for r in data.requirements:
            initial[f"req_{r.kind}_value"] = r.value
            initial[f"req_{r.kind}_strictness"] = r.strictness
            initial[f"req_{r.kind}_source_url"] = r.source_url
            initial[f"req_{r.kind}_checked_on"] = r.checked_on
        return initial


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 CSV, at most 1 MB."))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TargetStatus.choices)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes (only you see them)"), required=False, widget=forms.Textarea
    )
    experiences_note = forms.CharField(
        label=_("Experiences used for this program"), required=False, widget=forms.Textarea
    )
    geographic_preference = forms.BooleanField(
        label=_("I stated a geographic preference for this program's region"), required=False
    )


class SignalForm(forms.Form):
    signal = forms.ChoiceField(label=_("Signal"), choices=Signal.choices)


class StatementForm(forms.Form):
    statement = forms.TypedChoiceField(
        label=_("Personal statement"), coerce=int, empty_value=None, required=False
    )


class LetterForm(forms.Form):
    letter = forms.TypedChoiceField(label=_("Letter"), coerce=int)


class FilterForm(forms.Form):
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    fit = forms.ChoiceField(
        label=_("Fit"),
        required=False,
        choices=[
            ("", _("Any")),
            ("met", _("Met")),
            ("not_met", _("Not met")),
            ("unknown", _("Unknown")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *TargetStatus.choices]
    )
    signal = forms.ChoiceField(
        label=_("Signal"), required=False, choices=[("", _("Any")), *Signal.choices]
    )
