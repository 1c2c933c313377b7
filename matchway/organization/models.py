"""The provider that runs this installation: one `Organization` row (docs/dev/organization.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel


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

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("provider")

    def __str__(self) -> str:
        return self.name

    @property
    def display_legal_name(self) -> str:
        return self.legal_name or self.name
