"""The provider that runs this installation: one `Organization` row and its versioned policy
pages (docs/dev/organization.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel
from matchway.core.storage import private_file_storage


class Organization(TimeStampedModel):
    """Who the applicant deals with: shown in the header, footer, emails, receipts,
    certificates and letters. One per installation (`organization_current()`)."""

    name = models.CharField(_("name"), max_length=120)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    bank_transfer_instructions = models.TextField(_("bank transfer instructions"), blank=True)
    # Re-encoded from pixels on upload (organization.logo); served by `organization:logo`.
    logo = models.FileField(
        _("logo"), storage=private_file_storage, upload_to="organization/", blank=True
    )
    logo_content_type = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("provider")

    def __str__(self) -> str:
        return self.name

    @property
    def display_legal_name(self) -> str:
        return self.legal_name or self.name

    @property
    def logo_version(self) -> str:
        """Changes whenever the row is saved: the logo URL's cache buster."""
        return str(int(self.updated_at.timestamp())) if self.updated_at else "0"


class PolicyKind(models.TextChoices):
    ABOUT = "about", _("About")
    CONTACT = "contact", _("Contact")
    PRIVACY = "privacy", _("Privacy policy")
    TERMS = "terms", _("Terms of use")
    REFUNDS = "refunds", _("Refund policy")
    ACCESSIBILITY = "accessibility", _("Accessibility")


# The kinds a person must accept (accounts.Consent), in the order they are named.
CONSENT_KINDS: tuple[str, ...] = (PolicyKind.TERMS, PolicyKind.PRIVACY)


class PolicyPage(models.Model):
    """One version of a policy page. Never edited once saved: a change is a new version.

    The current version of a kind is the one with the latest `effective_at` not in the
    future; a version whose date is still ahead is scheduled.
    """

    kind = models.CharField(_("page"), max_length=20, choices=PolicyKind.choices)
    body = models.TextField(_("text (Markdown)"))
    version = models.PositiveIntegerField(_("version"))
    effective_at = models.DateTimeField(_("effective from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy page version")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="policy_page_kind_version")
        ]
        indexes = [models.Index(fields=["kind", "effective_at"], name="policy_page_kind_eff")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
