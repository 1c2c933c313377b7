"""Forms of the season part: an interview, the simulation's scenario."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import timezone_choices

from .matching_sim import STANDINGS
from .models import Interview, InterviewFormat, ProgramTarget
from .services.interviews import MAX_DURATION_MINUTES, InterviewData


class InterviewForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=ProgramTarget.objects.none(), label=_("Program"), empty_label=None
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Start time (program's local time)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    timezone = forms.ChoiceField(label=_("Program's time zone"), choices=timezone_choices)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=1, max_value=MAX_DURATION_MINUTES, initial=240
    )
    format = forms.ChoiceField(label=_("Format"), choices=InterviewFormat.choices)
    link = forms.URLField(
        label=_("Link (video call or the program's page)"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    thank_you_due_on = forms.DateField(
        label=_("Thank-you note due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notes = forms.CharField(
        label=_("Notes (only you see them)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets
        field.label_from_instance = lambda t: t.program.name  # type: ignore[method-assign]

    @classmethod
    def initial_for(cls, interview: Interview) -> dict[str, Any]:
        from matchway.core import clock

        local = interview.starts_at.astimezone(clock.zone(interview.timezone))
        return {
            "target": interview.target_id,
            "day": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "timezone": interview.timezone,
            "duration_minutes": interview.duration_minutes,
            "format": interview.format,
            "link": interview.link,
            "thank_you_due_on": interview.thank_you_due_on,
            "notes": interview.notes,
        }

    def data_object(self) -> InterviewData:
        c = self.cleaned_data
        return InterviewData(
            day=c["day"],
            time=c["time"],
            timezone=c["timezone"],
            duration_minutes=c["duration_minutes"],
            format=c["format"],
            link=c.get("link") or "",
            notes=c.get("notes") or "",
            thank_you_due_on=c.get("thank_you_due_on"),
        )


STANDING_CHOICES = [
    ("high", _("ranks me high")),
    ("low", _("ranks me low")),
    ("none", _("does not rank me")),
]
assert {c for c, _label in STANDING_CHOICES} == set(STANDINGS)


class ScenarioForm(forms.Form):
    competitors = forms.IntegerField(
        label=_("Simulated competitors per program"), min_value=1, max_value=8, initial=3
    )
    seed = forms.IntegerField(
        label=_("Scenario number (same number, same made-up market)"),
        min_value=1,
        max_value=10000,
        initial=1,
    )

    def __init__(self, *args: Any, targets: list[ProgramTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for target in targets:
            self.fields[f"standing_{target.pk}"] = forms.ChoiceField(
                label=target.program.name, choices=STANDING_CHOICES, initial="low"
            )
