"""Visitor-visa invitation letters (docs/dev/visa-letters.md).

The passport number is stored as the applicant typed it (normalized) because the letter must
print it; there is no field-encryption helper in the project yet. Everywhere but the PDF it is
shown masked (`passport_number_masked`), and it never goes into audit data, logs or exports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel
from matchway.core.storage import private_file_storage

from .booking import Application


class VisaLetterStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


OPEN_STATUSES = (VisaLetterStatus.REQUESTED, VisaLetterStatus.ISSUED)


def mask_passport_number(value: str) -> str:
    """`••••1234`: the last four characters only (fewer for very short numbers)."""
    tail = value[-4:] if len(value) > 6 else value[-2:]
    return "••••" + tail if value else ""


class VisaLetter(TimeStampedModel):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="visa_letters"
    )
    status = models.CharField(
        max_length=10, choices=VisaLetterStatus.choices, default=VisaLetterStatus.REQUESTED
    )
    passport_name = models.CharField(_("name as in the passport"), max_length=200)
    passport_number = models.CharField(_("passport number"), max_length=20)
    paid_by = models.CharField(_("who pays the costs"), max_length=300)
    number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    signature = models.CharField(max_length=200, blank=True)
    key_id = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(storage=private_file_storage, upload_to="visa-letters/", blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refused_at = models.DateTimeField(null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open (requested or issued) letter per application; refused or revoked
            # ones may be followed by a new request.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["requested", "issued"]),
                name="visa_letter_one_open_per_application",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        # Audit events store str(target): never the passport number here.
        return self.number or f"visa letter request {self.pk}"

    @property
    def passport_number_masked(self) -> str:
        return mask_passport_number(self.passport_number)
