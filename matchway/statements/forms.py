"""Forms parse input only; the services decide (and raise ValidationFailed with field errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.validators import validate_single_line
from matchway.reference.models import Specialty

from .services import MAX_BODY_CHARS, MAX_COMMENT_CHARS, REVIEW_DAYS_CHOICES, REVIEW_DAYS_DEFAULT


class StatementForm(forms.Form):
    title = forms.CharField(
        label=_("Private title"),
        max_length=120,
        help_text=_("Only you see it, as in ERAS, e.g. “General IM” or “Riverside IM”."),
    )
    specialty = forms.ModelChoiceField(
        label=_("Target specialty"),
        queryset=Specialty.objects.all(),
        required=False,
        empty_label=_("Not decided yet"),
        help_text=_("The checks warn when the text names a different specialty."),
    )
    program_label = forms.CharField(
        label=_("Program (optional)"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
        help_text=_(
            "Only for a statement written for one program. Leave empty for a statement "
            "you send to many programs: we then warn if it names a single program."
        ),
    )


class StatementCreateForm(StatementForm):
    body = forms.CharField(
        label=_("Paste an existing draft (optional)"),
        required=False,
        max_length=MAX_BODY_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("You can also start writing on the next page."),
    )


class EditorForm(forms.Form):
    body = forms.CharField(
        label=_("Your statement"),
        required=False,
        strip=False,
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
    )
    base = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


class InvitationForm(forms.Form):
    reviewer = _PersonChoiceField(
        label=_("One of your preceptors"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Someone else (enter their email below)"),
    )
    name = forms.CharField(label=_("Reviewer's name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Reviewer's email"), required=False)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should they look at? e.g. “Does my opening work?”"),
    )
    days = forms.TypedChoiceField(
        label=_("Link valid for"),
        coerce=int,
        choices=[(d, _("%(n)s days") % {"n": d}) for d in REVIEW_DAYS_CHOICES],
        initial=REVIEW_DAYS_DEFAULT,
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        if (
            isinstance(field, forms.ModelChoiceField)
            and candidates is not None
            and candidates.exists()
        ):
            field.queryset = candidates
        else:
            del self.fields["reviewer"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("reviewer"):
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Enter the reviewer's email address."))
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Enter the reviewer's name."))
        return data


class CommentForm(forms.Form):
    quote = forms.CharField(
        label=_("Text you are commenting on"),
        required=False,
        max_length=4000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Select text in the statement to fill this in, or paste a short passage. "
            "Leave it empty for a comment on the whole statement."
        ),
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Older version"), min_value=1)
    b = forms.IntegerField(label=_("Newer version"), min_value=1)
