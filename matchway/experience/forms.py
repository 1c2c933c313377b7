"""Forms for the rotation experience. They render and parse; services validate and write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchway.experience.models import EvaluationKind, EvaluationPhase, Recommendation
from matchway.experience.selectors_pages import AttendanceDay
from matchway.experience.services.eras_drafts import description_limit, reflection_limit
from matchway.experience.services.evaluations import (
    NOT_OBSERVED,
    CompetencyInfo,
    EvaluationInput,
    parse_rating,
)
from matchway.experience.services.journal import MAX_COMMENT_CHARS, MAX_FIELD_CHARS, Prompt

FIELD_PREFIX = "f_"


class JournalEntryForm(forms.Form):
    """The guided form of one entry kind; free-text prompts become `f_<key>` textareas."""

    entry_date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), required=True
    )
    hours = forms.DecimalField(
        label=_("Hours today"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("24"),
        decimal_places=1,
        help_text=_("Your own count. Certificates use the hours your preceptor confirms."),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "24"}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "journal-revision"}))
    # Identifies this open editor, so its own in-flight autosave is not taken for a conflict.
    client = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    generation = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, prompts: tuple[Prompt, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prompts = prompts
        for prompt in prompts:
            name = FIELD_PREFIX + prompt.key
            if prompt.choices:
                self.fields[name] = forms.ChoiceField(
                    label=prompt.label,
                    choices=[("", _("Choose…")), *prompt.choices],
                    required=False,
                )
            else:
                widget: forms.Widget = (
                    forms.Textarea(attrs={"rows": 3, "maxlength": MAX_FIELD_CHARS})
                    if prompt.multiline
                    else forms.TextInput(attrs={"maxlength": MAX_FIELD_CHARS})
                )
                self.fields[name] = forms.CharField(
                    label=prompt.label,
                    help_text=prompt.help,
                    required=False,
                    max_length=MAX_FIELD_CHARS,
                    widget=widget,
                )
            if prompt.help:
                self.fields[name].help_text = prompt.help

    @staticmethod
    def data_from(post: Any, prompts: tuple[Prompt, ...]) -> dict[str, str]:
        return {p.key: str(post.get(FIELD_PREFIX + p.key, "")) for p in prompts}

    @staticmethod
    def initial_for(
        data: dict[str, str],
        hours: Decimal | None,
        entry_date: dt.date,
        revision: int,
        client: str,
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {FIELD_PREFIX + k: v for k, v in data.items()}
        # The generation is the revision this form was rendered at (see EditorState).
        initial.update(
            {
                "hours": hours,
                "entry_date": entry_date,
                "revision": revision,
                "client": client,
                "generation": revision,
            }
        )
        return initial


class JournalCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    """One optional hours box per day of the session (blank = not confirmed)."""

    def __init__(self, *args: Any, days: list[AttendanceDay], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in days:
            attrs: dict[str, Any] = {
                "step": "0.5",
                "min": "0",
                "max": "24",
                "inputmode": "decimal",
                "class": "hours-input",
                "aria-describedby": f"{day.field_name}-note",
            }
            if day.in_future:
                attrs["disabled"] = True
            self.fields[day.field_name] = forms.CharField(
                label=f"{day.day:%a %b} {day.day.day}",
                required=False,
                initial=day.hours if day.hours is not None else "",
                widget=forms.NumberInput(attrs=attrs),
            )

    def hours_by_day(self) -> dict[dt.date, object]:
        """Only the days the form actually sent: a missing box never clears a day."""
        values: dict[dt.date, object] = {}
        for name in self.fields:
            if self.fields[name].widget.attrs.get("disabled") or name not in self.data:
                continue
            day = dt.date.fromisoformat(name.removeprefix("day_"))
            values[day] = self.data.get(name, "")
        return values


class FillWeekdaysForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours per weekday"),
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        decimal_places=1,
        initial=Decimal("8"),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24"}),
    )


RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)] + [(NOT_OBSERVED, _("Not observed"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EvaluationForm(forms.Form):
    """Ratings for each competency (with anchors), narratives and, for preceptors, the
    recommendation questions. `addendum=True` adds the reason field."""

    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Concrete behaviours you saw: what they did, and how it helped."),
    )
    areas_to_grow = forms.CharField(
        label=_("Areas to grow"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One or two specific, doable next steps."),
    )

    def __init__(
        self,
        *args: Any,
        competencies: list[CompetencyInfo],
        kind: str,
        addendum: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        self.kind = kind
        for info in competencies:
            self.fields[f"rating_{info.code}"] = forms.ChoiceField(
                label=info.name,
                choices=RATING_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
        if kind == EvaluationKind.PRECEPTOR:
            self.fields["would_write_letter"] = forms.ChoiceField(
                label=_("Would you write a letter of recommendation?"),
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )
            # The confidential part: for the program only, never shown to the applicant.
            self.fields["recommendation"] = forms.ChoiceField(
                label=_("Your recommendation for residency"),
                choices=Recommendation.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields["confidential_comments"] = forms.CharField(
                label=_("Confidential comments"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_(
                    "Anything a program should know that you would not write to the "
                    "applicant. No patient identifiers."
                ),
            )
        else:
            self.fields["strengths"].help_text = _("What went well, in your own words.")
            self.fields["areas_to_grow"].help_text = _("What you want to work on next.")
        if addendum:
            self.fields["addendum_reason"] = forms.CharField(
                label=_("What does this addendum correct?"),
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rating_rows(self) -> list[tuple[CompetencyInfo, forms.BoundField]]:
        return [(info, self[f"rating_{info.code}"]) for info in self.competencies]

    def to_input(self) -> EvaluationInput:
        data = self.cleaned_data
        ratings: dict[str, int | None] = {}
        for info in self.competencies:
            raw = data.get(f"rating_{info.code}")
            if raw:
                ratings[info.code] = parse_rating(raw)
        letter = data.get("would_write_letter")
        return EvaluationInput(
            ratings=ratings,
            strengths=data.get("strengths", ""),
            areas_to_grow=data.get("areas_to_grow", ""),
            would_write_letter=None if not letter else letter == "yes",
            recommendation=data.get("recommendation", "") or "",
            confidential_comments=data.get("confidential_comments", "") or "",
        )

    @staticmethod
    def initial_from(evaluation: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "strengths": evaluation.strengths,
            "areas_to_grow": evaluation.areas_to_grow,
            "recommendation": evaluation.recommendation,
            "confidential_comments": evaluation.confidential_comments,
        }
        if evaluation.would_write_letter is not None:
            initial["would_write_letter"] = "yes" if evaluation.would_write_letter else "no"
        for code, value in (evaluation.ratings or {}).items():
            initial[f"rating_{code}"] = NOT_OBSERVED if value is None else str(value)
        return initial


class ExternalEvaluatorForm(forms.Form):
    name = forms.CharField(label=_("Evaluator's name"), max_length=150)
    email = forms.EmailField(label=_("Evaluator's email"))
    phase = forms.ChoiceField(
        label=_("Evaluation"), choices=EvaluationPhase.choices, initial=EvaluationPhase.FINAL
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page. No personal or contact data."),
    )


EXPERIENCE_TYPES = [
    ("Education/training", _("Education/training")),
    ("Research", _("Research")),
    ("Work", _("Work")),
    ("Volunteer/service/advocacy", _("Volunteer/service/advocacy")),
    ("Teaching/mentoring", _("Teaching/mentoring")),
    ("Professional organization", _("Professional organization")),
    ("Extracurricular/hobby", _("Extracurricular/hobby")),
    ("Military", _("Military")),
]


class ErasDraftForm(forms.Form):
    experience_type = forms.ChoiceField(label=_("Experience type"), choices=EXPERIENCE_TYPES)
    organization = forms.CharField(label=_("Organization"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.CharField(label=_("State"), max_length=100, required=False)
    role = forms.CharField(label=_("Position / role"), max_length=120)
    supervisor = forms.CharField(label=_("Supervisor"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput({"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput({"type": "date"}))
    hours_per_week = forms.IntegerField(
        label=_("Hours per week"), min_value=0, max_value=168, required=False
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea({"rows": 7}))
    meaningful_reflection = forms.CharField(
        label=_("Most meaningful experience: reflection (optional)"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    acknowledge_phi = forms.BooleanField(
        label=_("I checked the highlighted words: they are not patient information."),
        required=False,
    )

    def clean_description(self) -> str:
        # Browsers send CRLF; ERAS (and the live counter) count a line break once.
        return str(self.cleaned_data["description"]).replace("\r\n", "\n")

    def clean_meaningful_reflection(self) -> str:
        return str(self.cleaned_data["meaningful_reflection"]).replace("\r\n", "\n")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Limits come from reference data each season; the counters read data-maxlength.
        for name, limit in (
            ("description", description_limit()),
            ("meaningful_reflection", reflection_limit()),
        ):
            widget = self.fields[name].widget
            widget.attrs["data-maxlength"] = str(limit)
            widget.attrs["aria-describedby"] = f"id_{name}_helptext {name}-counter"
            self.fields[name].help_text = _("Up to %(n)s characters (ERAS limit).") % {
                "n": f"{limit:,}"
            }
