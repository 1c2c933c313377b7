"""The "I accept" box for the Terms of use and the Privacy policy (sign-up and
`/accounts/consent/`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .consent import consent_signature as _signature


def consent_label(versions: dict[str, int]) -> str:
    """ "I accept the Terms of use (version 2) and the Privacy policy (version 1)"."""
    terms, privacy = versions.get("terms"), versions.get("privacy")
    if terms and privacy:
        return str(
            _("I accept the Terms of use (version %(t)s) and the Privacy policy (version %(p)s).")
            % {"t": terms, "p": privacy}
        )
    if terms:
        return str(_("I accept the Terms of use (version %(t)s).") % {"t": terms})
    return str(_("I accept the Privacy policy (version %(p)s).") % {"p": privacy})


def consent_links(versions: dict[str, int]) -> SafeString:
    """Links to the pages named in the label (they open in the same tab; Back returns)."""
    parts = []
    if "terms" in versions:
        parts.append(
            format_html(
                '<a href="{}">{}</a>',
                reverse("organization:policy", kwargs={"kind": "terms"}),
                _("Read the Terms of use"),
            )
        )
    if "privacy" in versions:
        parts.append(
            format_html(
                '<a href="{}">{}</a>',
                reverse("organization:policy", kwargs={"kind": "privacy"}),
                _("Read the Privacy policy"),
            )
        )
    return format_html_join(" · ", "{}", ((p,) for p in parts))


class ConsentFieldMixin:
    """Adds the not-pre-ticked "I accept" box when a Terms or Privacy version is in effect,
    and remembers which versions the box named (`consent_versions`)."""

    consent_versions: dict[str, int]
    fields: dict[str, forms.Field]

    def add_consent_field(self, versions: dict[str, int]) -> None:
        self.consent_versions = dict(versions)
        if not versions:
            return
        self.fields["accept_policies"] = forms.BooleanField(
            label=consent_label(versions),
            required=True,
            initial=False,
            help_text=consent_links(versions),
            error_messages={
                "required": _("Tick the box to accept the terms and the privacy policy.")
            },
        )
        self.fields["policy_versions"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=_signature(versions)
        )

    def check_consent_versions(self, cleaned: dict[str, Any]) -> None:
        if not self.consent_versions:
            return
        shown = cleaned.get("policy_versions")
        if shown and shown != _signature(self.consent_versions):
            raise forms.ValidationError(
                _(
                    "A new version took effect while you were reading. "
                    "Please read it and tick again."
                )
            )


class ConsentForm(ConsentFieldMixin, forms.Form):
    def __init__(self, *args: Any, versions: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_consent_field(versions)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_consent_versions(cleaned)
        return cleaned
