"""Personal statements: drafts with immutable-ish versions, reviewer invitations, comments.

A `Statement` is the applicant's private container (title, target specialty, optional
program label); its text lives in `StatementVersion` rows. Reviewers are invited to ONE
version and comment on text ranges of that version; the applicant resolves the comments.
Workflows live in `services.py`; reads and permission filtering in `selectors.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.models import TimeStampedModel
from matchway.reference.models import Specialty


class Statement(TimeStampedModel):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statements"
    )
    # ERAS shows the title only to the applicant; we keep that promise (reviewers never see it).
    title = models.CharField(_("private title"), max_length=120)
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("target specialty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    program_label = models.CharField(
        _("program (only for a statement written for one program)"), max_length=200, blank=True
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    duplicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["applicant", "archived_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class VersionSource(models.TextChoices):
    AUTOSAVE = "autosave", _("Autosaved")
    MANUAL = "manual", _("Saved")
    NORMALIZED = "normalized", _("Fixed for plain text")
    DUPLICATE = "duplicate", _("Copied from another statement")
    RESTORED = "restored", _("Restored from an earlier version")


class AnalysisState(models.TextChoices):
    NONE = "", _("Not checked yet")
    PENDING = "pending", _("Checking")
    DONE = "done", _("Checked")
    FAILED = "failed", _("Check failed")


class StatementVersion(models.Model):
    """One saved text. Numbered 1, 2, 3… per statement; the highest number is current.

    Versions are never deleted. Only the newest *autosave* version is rewritten in place
    (autosave coalescing, see `services.statement_save`); every other version is immutable.
    """

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=VersionSource.choices)
    characters = models.PositiveIntegerField(default=0)
    words = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    # For `normalized` versions: [{"before", "after", "reason", "context"}] shown as a list.
    changes = models.JSONField(default=list, blank=True)
    # The analyser's `as_dict()` for this body and these inputs; `analysis_key` says which.
    analysis = models.JSONField(null=True, blank=True)
    analysis_key = models.CharField(max_length=64, blank=True)
    analysis_state = models.CharField(
        max_length=10, choices=AnalysisState.choices, default=AnalysisState.NONE, blank=True
    )
    # When the stored analysis (or the request for one) was written; a stale `pending`
    # (a worker that died) is enqueued again after a while.
    analysis_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"], name="statement_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement} v{self.number}"


class ReviewInvitation(models.Model):
    """A reviewer's access to exactly one version, through an expiring secret link.

    The link's token lives in `core.OneTimeToken` (digest only, purpose
    ``statement_review``). Revoking the invitation revokes the token as well.
    """

    version = models.ForeignKey(
        StatementVersion, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statement_reviews",
    )
    reviewer_email = models.EmailField(_("reviewer's email"))
    reviewer_name = models.CharField(_("reviewer's name"), max_length=150)
    message = models.TextField(_("message to the reviewer"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.version} by {self.reviewer_name}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= clock.now():
            return "expired"
        if self.completed_at is not None:
            return "completed"
        if self.first_viewed_at is not None:
            return "opened"
        return "sent"


class ReviewComment(models.Model):
    """A reviewer's comment on a text range of the version they were invited to.

    `anchor_start`/`anchor_end` index into that version's body and `quote` keeps the text,
    so the comment can be found again in later drafts (selectors.comment_anchor). A comment
    without a quote is about the statement as a whole.
    """

    invitation = models.ForeignKey(
        ReviewInvitation, on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    anchor_start = models.PositiveIntegerField(null=True, blank=True)
    anchor_end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True, max_length=2000)
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anchor_start__isnull=True, anchor_end__isnull=True)
                | Q(anchor_start__isnull=False, anchor_end__gte=models.F("anchor_start")),
                name="review_comment_anchor_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author_name} on {self.version}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
