from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, when and from where.

    Append-only: written only through `core.audit.audit_record`, never updated or deleted
    by the application (the admin is read-only too).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept beside the FK so the log still says who acted after an account is deleted.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"


class OneTimeToken(models.Model):
    """A secret link's server side: only an HMAC digest of the token is stored.

    Bound to a purpose, a target object and (optionally) the target's state; expiring;
    single-use when consumed. See docs/dev/tokens.md.
    """

    purpose = models.CharField(max_length=50)
    digest = models.CharField(max_length=64, unique=True)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    state = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.purpose} token for {self.target_type}:{self.target_id}"


class OutboundEmailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboundEmail(models.Model):
    """One email, rendered when it was asked for and kept until it is sent (the outbox).

    Written by `core.email.email_send` in the caller's transaction; delivered by
    `email_deliver_task` after commit and re-tried by the periodic job `emails_retry`.
    See docs/dev/email.md. `last_error` holds the exception class and a short message,
    never the message body.
    """

    to = models.JSONField(default=list)
    reply_to = models.JSONField(default=list, blank=True)
    from_email = models.CharField(max_length=254)
    template = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=998)
    text = models.TextField()
    html = models.TextField(blank=True)
    # Extra message headers (e.g. RFC 8058 List-Unsubscribe), set by an email router.
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=OutboundEmailStatus.choices, default=OutboundEmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("outbound email")

    def __str__(self) -> str:
        return f"{self.template or 'email'} #{self.pk} ({self.status})"
