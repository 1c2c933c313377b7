from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX_LENGTH
from .selectors import coordinators


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Plain text. Do not write anything that could identify a patient: it is checked "
            "before it is sent."
        ),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A PDF, JPEG, PNG or WebP file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=coordinators(),
        required=False,
        empty_label=_("Nobody (all coordinators)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = coordinators()  # type: ignore[attr-defined]
        self.fields["assigned_to"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.full_name or user.email
        )
