"""In-app notifications: one per email a user is sent, and how each person wants them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .categories import Category


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("Email right away")
    DIGEST = "digest", _("One daily email")
    IN_APP = "in_app", _("Only in Matchway")


class Delivery(models.TextChoices):
    """How this notification's email went out (decided when it was created)."""

    ALWAYS = "always", _("always emailed")
    IMMEDIATE = "immediate", _("emailed")
    DIGEST = "digest", _("daily digest")
    IN_APP = "in_app", _("in-app only")


class NotificationDigest(models.Model):
    """One daily digest email for one person on one local day (the unique pair is the
    compare-and-set that makes the periodic job idempotent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    day = models.DateField()
    sent_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="notification_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"digest {self.day} #{self.pk}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    template = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=300)
    text = models.CharField(max_length=500, blank=True)
    link = models.CharField(max_length=500, blank=True)  # a path on this site, or empty
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        NotificationDigest, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    class Meta:
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["delivery", "digested_at"]),
        ]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return f"{self.category} #{self.pk}"


class NotificationPreference(models.Model):
    """A person's choice for one category; no row means immediate email (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notification_preference_one_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.mode}"
