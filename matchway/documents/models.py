from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel
from matchway.core.storage import private_storage as configured_private_storage


def private_storage() -> Any:
    # The configured "private" storage (file system by default, S3-compatible by setting);
    # never the public default storage.
    return configured_private_storage()


class DocumentType(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=150)
    allowed_content_types = models.JSONField(default=list)
    max_size_bytes = models.PositiveIntegerField()
    expires = models.BooleanField(
        default=False, help_text=_("The document carries its own expiry date.")
    )
    valid_for_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Good for this many days from its issue date.")
    )
    # Identity documents (passport, visa) are erased some time after the applicant's last
    # rotation (RETENTION_IDENTITY_DOCUMENTS_DAYS, docs/dev/privacy.md "Retention").
    is_identity = models.BooleanField(
        default=False, help_text=_("An identity document: erased under the retention rule.")
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, waiting for review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    # The file was deleted under the retention rule; the row stays so the vault and the
    # application checklists can say so (and ask for a new upload).
    ERASED = "erased", _("Erased")


def document_upload_to(instance: Document, filename: str) -> str:
    # Never use the uploaded name on disk: a random name cannot collide or traverse.
    return f"documents/{instance.owner_id}/{uuid.uuid4().hex}"


class Document(TimeStampedModel):
    """One uploaded version of an applicant's document. Old versions are kept."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents"
    )
    type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to=document_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    pages = models.PositiveIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.UPLOADED
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # The newest version of (owner, type) is current; older ones stay for the record.
    is_current = models.BooleanField(default=True)
    # Expiry reminders already sent (compare-and-set claims, so a rerun sends nothing twice).
    reminded_30_at = models.DateTimeField(null=True, blank=True)
    reminded_7_at = models.DateTimeField(null=True, blank=True)
    # Retention (identity documents): when the notice went out and the date it promised
    # (compare-and-set claim, cleared if the document is needed again), and when the file
    # was erased.
    retention_notice_sent_at = models.DateTimeField(null=True, blank=True)
    retention_erase_on = models.DateField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "type", "is_current"]),
            # The periodic expiry jobs and the review queue filter on these.
            models.Index(fields=["status", "expires_on"], name="document_status_expiry_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "type"],
                condition=models.Q(is_current=True),
                name="document_one_current_per_type",
            )
        ]

    def __str__(self) -> str:
        # Never the uploaded file name: this is the audit log's target label, and a file name
        # is free text its owner typed (it can name a patient).
        return f"{self.type.name} #{self.pk}"

    @property
    def neutral_name(self) -> str:
        """The name anyone but the owner sees and downloads: type, id and real extension."""
        ext = self.original_name.rsplit(".", 1)[-1].lower() if "." in self.original_name else ""
        stem = f"{slugify(self.type.name) or 'document'}-{self.pk}"
        return f"{stem}.{ext}" if ext.isalnum() else stem

    def name_for(self, user: object) -> str:
        """The uploaded name for its owner, `neutral_name` for everyone else."""
        return (
            self.original_name if getattr(user, "pk", None) == self.owner_id else self.neutral_name
        )

    @property
    def is_reviewable(self) -> bool:
        return self.is_current and self.status in (
            DocumentStatus.UPLOADED,
            DocumentStatus.VERIFIED,
            DocumentStatus.REJECTED,
        )

    def get_download_url(self) -> str:
        return reverse("documents:download", args=[self.pk])
