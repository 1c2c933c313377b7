from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchway.core.validators import validate_single_line

from .logo import logo_validate
from .models import Organization

POLICY_BODY_MAX_CHARS = 60_000


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganizationForm(forms.ModelForm[Organization]):
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 1 MB. Leave empty to keep the current logo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    logo_remove = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Organization
        formfield_callback = _formfield
        fields = [
            "name",
            "legal_name",
            "address",
            "contact_email",
            "phone",
            "website",
            "time_zone",
            "bank_transfer_instructions",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "bank_transfer_instructions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "legal_name", "phone"):
            self.fields[name].validators.append(validate_single_line)
        if not (self.instance and self.instance.logo):
            del self.fields["logo_remove"]

    def clean_time_zone(self) -> str:
        import zoneinfo

        value: str = self.cleaned_data["time_zone"]
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("Enter a time zone such as America/New_York."))
        return value

    def clean_logo_upload(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        return logo_validate(upload)


class PolicyPageForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=POLICY_BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Headings, lists and links work. Raw HTML and scripts are removed."),
    )
    effective_at = forms.DateTimeField(
        label=_("Takes effect"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "In your time zone. Leave empty to publish now; a later date schedules the version."
        ),
    )
