"""Forms parse input only; every rule lives in the services (they serve the API too)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from matchway.core.validators import validate_single_line
from matchway.documents.models import Document
from matchway.reference.models import Specialty

from . import conf
from .models import GENERAL, LetterKind
from .services.compose import LIVE_EDITABLE_FIELDS

WAIVER_CHOICES = [
    ("yes", _("Yes, I waive my right to see this letter (recommended)")),
    ("no", _("No, I want to be able to read this letter")),
]

# Service field names → form field names where they differ.
# Service field names → form fields ("__all__": shown above the form).
FIELD_MAP = {"attachment_ids": "attachments", "application": "__all__", "writer": "__all__"}


def specialty_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [(GENERAL, str(_("General (any specialty)")))]
    choices.extend(Specialty.objects.values_list("code", "name"))
    return choices


class DateInput(forms.DateInput):
    input_type = "date"


class LetterRequestForm(forms.Form):
    writer_name = forms.CharField(
        label=_("Writer's name"),
        max_length=150,
        required=False,
        validators=[validate_single_line],
    )
    writer_email = forms.EmailField(label=_("Writer's email"), required=False)
    writer_title = forms.CharField(
        label=_("Writer's title and department"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
        help_text=_("ERAS asks for it, e.g. “MD, Associate Professor of Medicine”."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of letter"),
        choices=LetterKind.choices,
        initial=LetterKind.NARRATIVE,
        widget=forms.RadioSelect,
    )
    specialty_code = forms.ChoiceField(
        label=_("Specialty"),
        help_text=_(
            "A specialty letter speaks to one specialty; a general letter can go to programs in "
            "any specialty."
        ),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        help_text=_("When you need the letter uploaded. Writers need about four weeks."),
    )
    eras_letter_id = forms.CharField(
        label=_("ERAS Letter ID"),
        max_length=64,
        required=False,
        help_text=_(
            "MyERAS creates it when you add this letter entry. You can add it later; copy it "
            "exactly as shown."
        ),
    )
    waived = forms.TypedChoiceField(
        label=_("Waive your right to see the letter?"),
        choices=WAIVER_CHOICES,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    route_to_coordinators = forms.BooleanField(
        label=_("Also share the letter with the rotation provider's coordinators"),
        required=False,
        help_text=_(
            "Only if they need it, for example for their own program's application. "
            "Otherwise they see the status only."
        ),
    )
    message = forms.CharField(
        label=_("Your follow-up message"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=5000,
        required=False,
        help_text=_(
            "Our draft; change anything. Until you edit it, it follows the writer, specialty "
            "and due date above. It goes to the writer with the request."
        ),
    )
    # "1" while the message is still our untouched draft (letters.js clears it on typing):
    # the service then writes the draft again from the final details.
    message_auto = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    brag_notes = forms.CharField(
        label=_("Anything else your writer should know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        help_text=_(
            "A case you are proud of, a skill you built, your career goals. No patient details."
        ),
    )
    attachments = forms.ModelMultipleChoiceField(
        label=_("Attach from your document vault"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remind_me = forms.BooleanField(label=_("Remind me by email on that day"), required=False)

    def __init__(
        self,
        *args: Any,
        outside_writer: bool,
        attachment_queryset: QuerySet[Document],
        live: bool = False,
        guidance_url: str = "",
        application_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if guidance_url:
            # htmx refreshes the timing advice when the due date changes.
            self.fields["due_date"].widget.attrs.update(
                {
                    "hx-get": guidance_url,
                    "hx-trigger": "change",
                    "hx-target": "#letter-guidance",
                    "hx-swap": "outerHTML",
                    "hx-vals": json.dumps({"application": application_id or ""}),
                }
            )
        self.fields["specialty_code"].choices = specialty_choices()  # type: ignore[attr-defined]
        self.fields["attachments"].queryset = attachment_queryset  # type: ignore[attr-defined]
        self.fields["attachments"].label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{d.type.name}: {d.original_name}"
        )
        if outside_writer:
            for name in ("writer_name", "writer_email"):
                self.fields[name].required = True
        else:
            for name in ("writer_name", "writer_email", "writer_title"):
                del self.fields[name]
        if live:
            # A sent request keeps its promises to the writer (the rule is the service's).
            for name in list(self.fields):
                if name not in LIVE_EDITABLE_FIELDS:
                    del self.fields[name]
        if not conf.attachment_types():
            self.fields.pop("attachments", None)


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("A note for the applicant (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Your letter (PDF)"),
        help_text=_(
            "PDF only, at most %(size)s, not password-protected. Letterhead, signature and date."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = conf.max_bytes()
        label = f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"
        self.fields["file"].help_text = str(self.fields["file"].help_text) % {"size": label}
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"


class FinalizeForm(forms.Form):
    eras_uploaded = forms.BooleanField(
        label=_("I have also uploaded this letter to the AAMC Letter Writer Portal"),
        required=False,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, only for you)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignmentForm(forms.Form):
    letter = forms.TypedChoiceField(label=_("Letter"), coerce=int)
    program_label = forms.CharField(
        validators=[validate_single_line],
        label=_("Program"),
        max_length=200,
        help_text=_("As you name it in your program list, e.g. “Lakeside IM – categorical”."),
    )

    def __init__(self, *args: Any, letters: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letter"].choices = letters  # type: ignore[attr-defined]
