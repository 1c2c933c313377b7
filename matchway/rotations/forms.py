"""Forms for the rotations pages. They parse and validate input; services do the writing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User, timezone_choices
from matchway.core.validators import validate_single_line
from matchway.documents.models import DocumentType
from matchway.reference.models import Specialty, State

from .models import (
    ARRIVAL_FIELDS,
    ApplicationStatus,
    BookingMode,
    PaymentMethod,
    Rotation,
    RotationArrival,
    RotationKind,
    SessionArrival,
    SessionStatus,
    Site,
    SiteKind,
)
from .selectors_catalog import CatalogFilters, CatalogSort, Facets

MAX_PRICE_DOLLARS = 100_000


def _cents(value: Decimal | None) -> int:
    return int((value or Decimal(0)) * 100)


# --- catalog -----------------------------------------------------------------------------


class CatalogFilterForm(forms.Form):
    """The catalog's GET filters. Bad values are reported and ignored, never a 500."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Title, hospital, city or preceptor"),
                "autocomplete": "off",
            }
        ),
    )
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    starts_after = forms.DateField(
        label=_("Starting on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Use a date like 2027-03-01.")},
    )
    max_price = forms.IntegerField(
        label=_("Max price (USD)"),
        required=False,
        min_value=0,
        max_value=MAX_PRICE_DOLLARS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "50", "min": "0"}),
        error_messages={"invalid": _("Enter a whole number of dollars, e.g. 1500.")},
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=CatalogSort.CHOICES)

    def __init__(self, data: Any, *, facets: Facets) -> None:
        super().__init__(data)
        self.facets = facets
        any_label = ("", _("Any"))
        specialties = list(facets.specialties)
        states = list(facets.states)
        # A shared link may name a valid code that has no rotations today: keep it selectable.
        chosen = (data or {}).get("specialty", "")
        if chosen in facets.specialty_codes and chosen not in dict(specialties):
            specialties.append((chosen, chosen))
        chosen_state = (data or {}).get("state", "")
        if chosen_state in facets.state_codes and chosen_state not in dict(states):
            states.append((chosen_state, chosen_state))
        fields: Any = self.fields
        fields["specialty"].choices = [any_label, *specialties]
        fields["state"].choices = [any_label, *states]
        fields["kind"].choices = [any_label, *facets.kinds]

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data.get("q") or "").split())

    def filters(self) -> CatalogFilters:
        """The valid part of the input (call after is_valid(); invalid fields are dropped)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return CatalogFilters(
            specialty=data.get("specialty") or "",
            kind=data.get("kind") or "",
            state=data.get("state") or "",
            starts_after=data.get("starts_after"),
            max_price=data.get("max_price"),
            q=data.get("q") or "",
            sort=data.get("sort") or CatalogSort.START,
        )


# --- applying ----------------------------------------------------------------------------


REFERRAL_CHOICES = [
    ("", _("Choose one (optional)")),
    ("search", _("Search engine")),
    ("friend", _("A friend or colleague")),
    ("social", _("Social media")),
    ("guide", _("A Matchway guide")),
    ("school", _("My medical school")),
    ("forum", _("An online forum")),
    ("other", _("Somewhere else")),
]


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why this rotation?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "A few sentences: what you hope to learn and how it fits your plans. "
            "Up to 4,000 characters."
        ),
    )
    referral_source = forms.ChoiceField(
        label=_("How did you hear about us?"), required=False, choices=REFERRAL_CHOICES
    )
    consent_share_documents = forms.BooleanField(
        label=_(
            "I agree that the documents this rotation requires are shared with the site's "
            "coordinators and, once confirmed, with my preceptors."
        ),
        required=True,
        error_messages={"required": _("The site needs your documents to review you.")},
    )
    waitlist = forms.BooleanField(required=False, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("It helps the coordinators; it is not shared with anyone else."),
    )


# --- coordinator: sites and rotations ------------------------------------------------------


class SiteForm(forms.ModelForm[Site]):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)

    class Meta:
        model = Site
        fields = ["name", "kind", "address", "city", "state", "timezone", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = State.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["name"].validators.append(validate_single_line)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == SiteKind.VIRTUAL and data.get("address"):
            self.add_error("address", _("A virtual site has no street address."))
        if data.get("kind") and data.get("kind") != SiteKind.VIRTUAL:
            if not data.get("city"):
                self.add_error("city", _("Enter the city."))
            if not data.get("state"):
                self.add_error("state", _("Choose the state."))
        return data


class RotationForm(forms.ModelForm[Rotation]):
    slug = forms.SlugField(
        label=_("Web address"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to make one from the title."),
    )
    price = forms.DecimalField(
        label=_("Price (USD)"),
        min_value=Decimal(0),
        max_value=Decimal(MAX_PRICE_DOLLARS),
        decimal_places=2,
    )
    deposit = forms.DecimalField(
        label=_("Deposit (USD)"),
        min_value=Decimal(0),
        max_value=Decimal(MAX_PRICE_DOLLARS),
        decimal_places=2,
        initial=Decimal(0),
        help_text=_("Due to confirm a seat; part of the price."),
    )

    class Meta:
        model = Rotation
        fields = [
            "title",
            "slug",
            "specialty",
            "subspecialty",
            "kind",
            "hands_on",
            "site",
            "preceptors",
            "description",
            "weeks",
            "refund_policy",
            "required_document_types",
            "graduates_allowed",
            "students_allowed",
            "eligibility_notes",
            "letter_possible",
            "hold_hours",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 12}),
            "refund_policy": forms.Textarea(attrs={"rows": 3}),
            "eligibility_notes": forms.Textarea(attrs={"rows": 3}),
            "preceptors": forms.CheckboxSelectMultiple,
            "required_document_types": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["preceptors"].queryset = User.objects.filter(
            role=Role.PRECEPTOR, is_active=True
        ).order_by("full_name")
        fields["required_document_types"].queryset = DocumentType.objects.order_by("name")
        fields["specialty"].queryset = Specialty.objects.order_by("name")
        fields["site"].queryset = Site.objects.order_by("name")
        fields["title"].validators.append(validate_single_line)
        fields["weeks"].validators.append(MinValueValidator(1))
        fields["weeks"].validators.append(MaxValueValidator(52))
        fields["hold_hours"].validators.append(MinValueValidator(1))
        fields["hold_hours"].validators.append(MaxValueValidator(24 * 30))
        fields["description"].help_text = _(
            "Markdown: **bold**, lists, links. A preview appears beside the editor."
        )
        if self.instance.pk:
            self.initial.setdefault("price", Decimal(self.instance.price_cents) / 100)
            self.initial.setdefault("deposit", Decimal(self.instance.deposit_cents) / 100)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title") or "")
        return slug[:120]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        price, deposit = data.get("price"), data.get("deposit")
        if price is not None and deposit is not None and deposit > price:
            self.add_error("deposit", _("The deposit cannot be more than the price."))
        kind = data.get("kind")
        if kind == RotationKind.OBSERVERSHIP and data.get("hands_on"):
            self.add_error(
                "hands_on", _("An observership is not hands-on. Choose another kind or untick.")
            )
        return data

    def rotation_data(self) -> dict[str, Any]:
        """Plain values for `rotation_create`/`rotation_update` (cents, no m2m)."""
        data = dict(self.cleaned_data)
        data["price_cents"] = _cents(data.pop("price"))
        data["deposit_cents"] = _cents(data.pop("deposit"))
        data.pop("preceptors", None)
        data.pop("required_document_types", None)
        return data


class MarkdownPreviewForm(forms.Form):
    description = forms.CharField(required=False, max_length=50_000)


# --- coordinator: sessions -------------------------------------------------------------


class SessionForm(forms.Form):
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput({"type": "date"}))
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput({"type": "date"}))
    capacity = forms.IntegerField(label=_("Seats"), min_value=0, max_value=500)
    booking_mode = forms.ChoiceField(label=_("Booking"), choices=BookingMode.choices)
    application_deadline = forms.DateField(
        label=_("Application deadline"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
        help_text=_("Empty: applications close on the first day."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The last day must be after the first day."))
        deadline = data.get("application_deadline")
        if start and deadline and deadline > start:
            self.add_error("application_deadline", _("The deadline must be before the start."))
        return data


class SessionSeriesForm(forms.Form):
    first_start = forms.DateField(
        label=_("First session starts"), widget=forms.DateInput({"type": "date"})
    )
    every_weeks = forms.IntegerField(
        label=_("Repeat every (weeks)"), min_value=1, max_value=52, initial=4
    )
    count = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=52,
        initial=6,
        help_text=_("e.g. every 4 weeks × 6 sessions ≈ 6 months."),
    )
    capacity = forms.IntegerField(label=_("Seats per session"), min_value=0, max_value=500)
    booking_mode = forms.ChoiceField(label=_("Booking"), choices=BookingMode.choices)
    application_deadline_days_before = forms.IntegerField(
        label=_("Applications close (days before start)"),
        required=False,
        min_value=0,
        max_value=365,
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Seats"), min_value=0, max_value=500)


class SessionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (SessionStatus.OPEN.value, SessionStatus.OPEN.label),
            (SessionStatus.CLOSED.value, SessionStatus.CLOSED.label),
        ],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone affected receives this text."),
    )


# --- coordinator: review ---------------------------------------------------------------


class DecisionAction:
    ACCEPT = "accept"
    DECLINE = "decline"
    WAITLIST = "waitlist"
    CHOICES = [
        (ACCEPT, _("Accept")),
        (DECLINE, _("Decline")),
        (WAITLIST, _("Waitlist")),
    ]


class DecisionForm(forms.Form):
    # No default: a decision is emailed to the applicant, so it is always chosen on purpose.
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Choose a decision…")), *DecisionAction.CHOICES],
        error_messages={"required": _("Choose accept, decline or waitlist.")},
    )
    message = forms.CharField(
        label=_("Message to the applicant (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkDecisionForm(DecisionForm):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)

    def __init__(self, *args: Any, allowed_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in allowed_ids]  # type: ignore[attr-defined]
        self.fields["ids"].error_messages["required"] = _("Select at least one application.")


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Applicant"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or email")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    specialty = forms.ModelChoiceField(
        label=_("Specialty"),
        required=False,
        queryset=Specialty.objects.none(),
        empty_label=_("All specialties"),
    )
    session = forms.IntegerField(label=_("Session"), required=False, widget=forms.HiddenInput)
    missing_documents = forms.BooleanField(label=_("Missing documents only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Needs action")), ("all", _("All"))] + [  # type: ignore[attr-defined]
            (s.value, s.label) for s in ApplicationStatus
        ]
        self.fields["specialty"].queryset = Specialty.objects.order_by("name")  # type: ignore[attr-defined]


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (USD)"),
        min_value=Decimal("0.00"),
        max_value=Decimal(MAX_PRICE_DOLLARS),
        decimal_places=2,
    )
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("Receipt, transfer or card reference."),
    )

    def amount_cents(self) -> int:
        return _cents(self.cleaned_data["amount"])


class ConfirmForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Override reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when confirming although a requirement is not met. Audited."),
    )
    clash_override_reason = forms.CharField(
        label=_("Reason to confirm despite the date overlap"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when this applicant is already confirmed for overlapping dates. Audited with "
            "both applications."
        ),
    )

    def __init__(self, *args: Any, clash: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not clash:
            # No overlap to override: keep the form short (a POST always accepts the field).
            del self.fields["clash_override_reason"]


class ExtendHoldForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Extend by (hours)"), min_value=1, max_value=24 * 14, initial=48
    )


class ProgressForm(forms.Form):
    step = forms.ChoiceField(choices=[("start", "start"), ("complete", "complete")])


# --- arrival logistics -------------------------------------------------------------------


class RotationArrivalForm(forms.ModelForm[RotationArrival]):
    """The rotation's first-day defaults. Every field is optional."""

    class Meta:
        model = RotationArrival
        fields = ARRIVAL_FIELDS
        widgets = {
            "first_day_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "dress_code": forms.Textarea(attrs={"rows": 2}),
            "what_to_bring": forms.Textarea(attrs={"rows": 3}),
            "parking_transit": forms.Textarea(attrs={"rows": 3}),
            "housing": forms.Textarea(attrs={"rows": 3}),
            "access_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("meeting_place", "ask_for", "site_contact"):
            self.fields[name].validators.append(validate_single_line)


class SessionArrivalForm(RotationArrivalForm):
    """One session's overrides: an empty field keeps the rotation's value (shown as the
    placeholder), so coordinators change only what differs for these dates."""

    class Meta(RotationArrivalForm.Meta):
        model = SessionArrival  # type: ignore[assignment]

    def __init__(self, *args: Any, defaults: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            inherited = getattr(defaults, name, None) if defaults is not None else None
            if inherited in (None, ""):
                form_field.help_text = _("Empty: the rotation has nothing here either.")
                continue
            shown = inherited.strftime("%H:%M") if name == "first_day_time" else str(inherited)
            form_field.widget.attrs["placeholder"] = shown
            form_field.help_text = _("Leave empty to use the rotation's value.")


class _UnechoedTextInput(forms.TextInput):
    """A text box that never writes its value back into the page: a form re-shown with
    errors asks for the passport number again instead of printing it in the HTML."""

    def format_value(self, value: Any) -> str | None:
        return None


class VisaLetterRequestForm(forms.Form):
    passport_name = forms.CharField(
        label=_("Your name exactly as printed in your passport"), max_length=200
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=30,
        help_text=_("Printed in full only on the letter; shown as ••••1234 everywhere else."),
        widget=_UnechoedTextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    paid_by = forms.CharField(
        label=_("Who pays your costs (rotation fee, travel, housing)"),
        max_length=300,
        initial="The applicant (self-funded)",
        help_text=_("The letter states this. Change it if, for example, your family pays."),
    )


class VisaLetterReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the applicant reads it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
