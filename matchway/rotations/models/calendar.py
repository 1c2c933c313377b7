"""Private calendar feeds: a secret URL per applicant that calendar apps poll.

Only an HMAC digest of the token is stored (a database leak yields no working feed URL);
revoking sets `revoked_at`, and issuing a new feed revokes the previous one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_live_per_user",
            )
        ]
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"Calendar feed of {self.user} ({state})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
