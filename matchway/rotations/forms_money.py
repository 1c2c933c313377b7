"""Forms for money: a coordinator's refund, and the rotation's refund schedule."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PaymentMethod
from .refunds import PARTS, RefundRulesError, validate_rules

TIER = re.compile(r"^\s*(\d{1,3})\s*(?:days?)?\s*[:=,]?\s*(\d{1,3})\s*%?\s*$", re.IGNORECASE)


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to refund (USD)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100_000),
        decimal_places=2,
    )
    method = forms.ChoiceField(
        label=_("How the money goes back (when not by card through Stripe)"),
        choices=[("", _("Choose…")), *PaymentMethod.choices],
        required=False,
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("Transfer or cheque reference, if any."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refunding more than the policy gives. Audited."),
    )

    def amount_cents(self) -> int:
        return int(self.cleaned_data["amount"] * 100)


def tiers_text(rules: dict[str, Any], part: str) -> str:
    return "\n".join(f"{t['until_days']} days: {t['percent']}%" for t in rules.get(part, []))


def parse_tiers(text: str, part: str) -> list[dict[str, int]]:
    tiers = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = TIER.match(line)
        if not match:
            raise forms.ValidationError(
                _('Line %(n)s: write "days: percent", e.g. "30 days: 100%%".'),
                params={"n": number},
            )
        tiers.append({"until_days": int(match[1]), "percent": int(match[2])})
    return tiers


class RefundRulesForm(forms.Form):
    """The refund schedule as two short lists; the applicant's text is generated from it."""

    deposit = forms.CharField(
        label=_("Deposit refund schedule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'One line per tier, "days before start: percent", most generous first, e.g. '
            '"30 days: 100%" and "14 days: 50%". Empty: the deposit is not refunded.'
        ),
    )
    balance = forms.CharField(
        label=_("Balance refund schedule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('For example "14 days: 100%". Empty: the balance is not refunded.'),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw: dict[str, Any] = {}
        for part in PARTS:
            try:
                tiers = parse_tiers(data.get(part, ""), part)
            except forms.ValidationError as exc:
                self.add_error(part, exc)
                continue
            if tiers:
                raw[part] = tiers
        if self.errors:
            return data
        try:
            data["rules"] = validate_rules(raw)
        except RefundRulesError as exc:
            for message in exc.messages:
                field = next((p for p in PARTS if p in message), None)
                self.add_error(field, message)
        return data
