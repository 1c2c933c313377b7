"""A conversation per application: one `Thread`, its `Message`s, and each reader's mark.

Nothing here holds patient identifiers: bodies pass the PHI guard before they are stored
(`services.message_post`), and an attachment keeps only a safe display name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel
from matchway.core.storage import private_storage as configured_private_storage

BODY_MAX_LENGTH = 4000


def private_storage() -> Any:
    # The configured "private" storage (never the public default), as documents use it.
    return configured_private_storage()


def attachment_upload_to(instance: Message, filename: str) -> str:  # pragma: no cover
    # Services always pass a random name; this only satisfies FileField.
    return f"messages/{filename}"


class Thread(TimeStampedModel):
    """The one conversation about an application, created with its first message."""

    application = models.OneToOneField(
        "rotations.Application", on_delete=models.CASCADE, related_name="thread"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_threads",
        verbose_name=_("assigned coordinator"),
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_message_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Stored, not derived: the applicant wrote last and no coordinator has answered since.
    # Set by `message_post` under the thread's row lock, so the inbox can sort and filter
    # on one indexed column.
    awaiting_reply = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["awaiting_reply", "last_message_at"])]

    def __str__(self) -> str:
        # Lands in audit labels: ids only, never a name or a body.
        return f"Thread #{self.pk} (application #{self.application_id})"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField()
    attachment = models.FileField(
        upload_to=attachment_upload_to, storage=private_storage, max_length=200, blank=True
    )
    # A display name that passed `safe_filename` and the PHI guard (else a generic name).
    attachment_name = models.CharField(max_length=120, blank=True)
    attachment_type = models.CharField(max_length=40, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        # Lands in audit labels: never the body or the file name.
        return f"Message #{self.pk} in thread #{self.thread_id}"

    @property
    def has_attachment(self) -> bool:
        return bool(self.attachment)


class ThreadRead(models.Model):
    """How far one person has read a thread (unread counts compare it with the last message)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="threadread_one_per_user")
        ]

    def __str__(self) -> str:
        return f"Read mark of user #{self.user_id} on thread #{self.thread_id}"
