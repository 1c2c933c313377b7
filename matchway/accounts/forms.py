from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matchway.core.validators import validate_single_line

from .models import ApplicantProfile, PreceptorProfile, Role, User, timezone_choices


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As on your passport; certificates and letters use it."),
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            # A new account costs one password hash; without it here, the answer for a
            # taken address came back in a fraction of the time and told the address apart
            # (docs/dev/sessions-and-limits.md, "Sign-up timing"). The hash is thrown away.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class UserSettingsForm(forms.ModelForm[User]):
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        help_text=_(
            "Dates and deadlines are shown in this zone. Match and ERAS dates are Eastern Time."
        ),
    )

    class Meta:
        model = User
        fields = ["full_name", "timezone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].validators.append(validate_single_line)


class ApplicantProfileForm(forms.ModelForm[ApplicantProfile]):
    class Meta:
        model = ApplicantProfile
        fields = [
            "medical_school",
            "country",
            "graduation_year",
            "is_graduate",
            "ecfmg_status",
            "usmle_step1",
            "usmle_step2ck",
            "visa_need",
            "target_specialties",
        ]
        widgets = {"target_specialties": forms.CheckboxSelectMultiple}

    def clean_graduation_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("graduation_year")
        if year is not None and not 1950 <= year <= 2040:
            raise forms.ValidationError(_("Enter a year between 1950 and 2040."))
        return year


class PreceptorProfileForm(forms.ModelForm[PreceptorProfile]):
    class Meta:
        model = PreceptorProfile
        fields = [
            "title",
            "department",
            "specialty",
            "bio",
            "licence_state",
            "licence_number",
            "board_certification",
            "hospital_affiliation",
            "accepts_letter_requests",
        ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("e.g. “CRM sync”, so you can tell tokens apart."),
    )


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[validate_single_line]
    )
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.PRECEPTOR.value, Role.PRECEPTOR.label),
            (Role.COORDINATOR.value, Role.COORDINATOR.label),
        ],
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[validate_single_line]
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=10,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
