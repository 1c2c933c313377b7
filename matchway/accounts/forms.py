from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.http import client_ip
from matchway.core.validators import validate_single_line
from matchway.organization.selectors import policy_consent_versions

from .consent_forms import ConsentFieldMixin
from .models import ApiTokenScope, ApplicantProfile, PreceptorProfile, Role, User, timezone_choices
from .timezones import timezone_choice_groups


class SignupForm(ConsentFieldMixin, AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As on your passport; certificates and letters use it."),
    )
    field_order = ["full_name", "email", "password1", "password2", "accept_policies"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No Terms or Privacy page published yet: no box (nothing to accept).
        self.add_consent_field(policy_consent_versions())
        if self.consent_versions:
            self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        self.check_consent_versions(cleaned)
        return cleaned

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

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].validators.append(validate_single_line)
        # Common zones first (the applicant's country where the profile names one), grouped
        # by region; app.js adds a filter box above the list (data-filterable).
        field = self.fields["timezone"]
        if isinstance(field, forms.ChoiceField):
            zone = self.instance.timezone
            field.choices = timezone_choice_groups(country=country, current=zone)
            field.widget.attrs["data-filterable"] = str(
                _("Filter time zones, e.g. Kolkata or UTC+05")
            )


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
            "usmle_attempts",
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


EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("never", _("Never (until you revoke it)")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("e.g. “CRM sync”, so you can tell tokens apart."),
    )
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read only is enough for reports and exports."),
    )
    expires_in = forms.ChoiceField(
        label=_("Stops working"),
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.RadioSelect,
    )

    def expires_at(self) -> datetime | None:
        """The chosen expiry as an instant (None: never). Call after `is_valid()`."""
        choice = self.cleaned_data["expires_in"]
        return None if choice == "never" else clock.now() + timedelta(days=int(choice))


class ChangePasswordForm(AllauthChangePasswordForm):
    """allauth's form plus an offer (not pre-ticked) to revoke every API token."""

    revoke_api_tokens = forms.BooleanField(
        label=_("Also revoke all my API tokens"),
        required=False,
        initial=False,
        help_text=_(
            "Tick this if a token may have been seen by someone else. Scripts using a token "
            "stop working until you give them a new one."
        ),
    )

    def save(self) -> None:
        super().save()
        if self.cleaned_data.get("revoke_api_tokens"):
            from .services import api_token_revoke_all

            assert self.user is not None  # noqa: S101 - allauth always sets the user here
            api_token_revoke_all(
                user=self.user, reason="password_changed", ip=client_ip(allauth_context.request)
            )


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    """A reset by email revokes every API token: whoever had the account may have made one."""

    def save(self) -> None:
        super().save()
        from .services import api_token_revoke_all

        api_token_revoke_all(
            user=self.user, reason="password_reset", ip=client_ip(allauth_context.request)
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
