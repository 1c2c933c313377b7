"""What happens during and after a rotation: attendance, journal, evaluations, certificates
and ERAS experience drafts.

These models lived in `rotations` until the restructure; their tables keep the `rotations_`
names (`db_table`), so the move copied no data (migrations: SeparateDatabaseAndState).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel
from matchway.core.storage import private_file_storage
from matchway.rotations.models import Application


class AttendanceRecord(models.Model):
    """Hours attended on one day, confirmed by a preceptor or coordinator.

    Certificates count confirmed hours only, never self-reported journal hours.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table predates the experience app (it lived in rotations); kept as is.
        db_table = "rotations_attendancerecord"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["application", "day"], name="attendance_one_per_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="attendance_hours_in_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.hours} h"


class JournalKind(models.TextChoices):
    PRE_ROUNDING = "pre_rounding", _("Pre-rounding")
    REFLECTION = "reflection", _("Reflection")
    CASE_LOG = "case_log", _("Case log")


class JournalEntry(TimeStampedModel):
    """A private journal entry. `data` holds the guided form's fields for its kind."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField(max_length=20, choices=JournalKind.choices)
    entry_date = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_draft = models.BooleanField(default=True)
    shared_with_preceptor = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    # Findings the applicant marked "not PHI": [{"kind", "text"}] (each one audited).
    phi_dismissed = models.JSONField(default=list, blank=True)
    # Autosaved edits not yet checked and saved: `data` is only replaced by a save that
    # passed the PHI check, so what a preceptor sees was always checked.
    draft_data = models.JSONField(null=True, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every write; autosave compares it so a stale tab cannot overwrite newer text.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        # The table predates the experience app (it lived in rotations); kept as is.
        db_table = "rotations_journalentry"
        ordering = ["-entry_date", "-pk"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entry_date}"


class JournalComment(models.Model):
    """A comment on a shared journal entry, by a preceptor (or the applicant replying)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table predates the experience app (it lived in rotations); kept as is.
        db_table = "rotations_journalcomment"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.entry}"


class EvaluationKind(models.TextChoices):
    PRECEPTOR = "preceptor", _("Preceptor evaluation")
    SELF = "self", _("Self-assessment")


class EvaluationPhase(models.TextChoices):
    MIDPOINT = "midpoint", _("Midpoint")
    FINAL = "final", _("Final")


class Recommendation(models.TextChoices):
    """The evaluator's recommendation for residency: confidential, for the program only."""

    STRONGLY = "strongly_recommend", _("Strongly recommend")
    RECOMMEND = "recommend", _("Recommend")
    RESERVATIONS = "recommend_with_reservations", _("Recommend with reservations")
    DO_NOT = "do_not_recommend", _("Do not recommend")


# Fields of an evaluation that only the evaluator, coordinators and programs see; never the
# applicant (docs/dev/evaluations-confidentiality.md). Applicant reads defer and blank them.
CONFIDENTIAL_FIELDS: tuple[str, ...] = ("confidential_comments", "recommendation")


class Evaluation(TimeStampedModel):
    """Ratings 1–5 (or not observed) on the six ACGME competencies + situational awareness.

    Immutable once submitted; a correction is a new Evaluation with `addendum_to` set.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(max_length=20, choices=EvaluationKind.choices)
    phase = models.CharField(
        max_length=20, choices=EvaluationPhase.choices, default=EvaluationPhase.FINAL
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluator_name = models.CharField(max_length=150, blank=True)
    evaluator_email = models.EmailField(blank=True)
    # {"PC": 4, "MK": 3, ..., "SA": null}  (null = not observed)
    ratings = models.JSONField(default=dict, blank=True)
    strengths = models.TextField(blank=True)
    areas_to_grow = models.TextField(blank=True)
    # Confidential (CONFIDENTIAL_FIELDS): never shown to the applicant.
    recommendation = models.CharField(max_length=30, choices=Recommendation.choices, blank=True)
    confidential_comments = models.TextField(blank=True)
    would_write_letter = models.BooleanField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    addendum_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="addenda"
    )
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # The schedule date that triggered the request (session end, or its midpoint).
    due_on = models.DateField(null=True, blank=True)
    addendum_reason = models.TextField(blank=True)

    class Meta:
        # The table predates the experience app (it lived in rotations); kept as is.
        db_table = "rotations_evaluation"
        ordering = ["created_at", "pk"]
        constraints = [
            # One request per evaluator, applicant and phase: the periodic job may run twice.
            models.UniqueConstraint(
                fields=["application", "kind", "phase", "evaluator"],
                condition=Q(addendum_to__isnull=True, evaluator__isnull=False),
                name="evaluation_one_per_evaluator",
            ),
            models.UniqueConstraint(
                fields=["application", "kind", "phase", "evaluator_email"],
                condition=Q(addendum_to__isnull=True, evaluator__isnull=True),
                name="evaluation_one_per_external_evaluator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.application}"

    @property
    def is_redacted(self) -> bool:
        """True for a copy loaded for the applicant: its confidential fields are blank."""
        return bool(getattr(self, "_confidential_redacted", False))

    def redact_confidential(self) -> Evaluation:
        """Blank the confidential fields of this in-memory copy (for the applicant's reads).

        Setting a deferred field does not load it, so with `.defer(*CONFIDENTIAL_FIELDS)`
        the values are never even read from the database. A redacted copy cannot be saved.
        """
        for name in CONFIDENTIAL_FIELDS:
            setattr(self, name, "")
        self._confidential_redacted = True
        return self

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_redacted:
            raise ValueError("A redacted evaluation copy cannot be saved.")
        super().save(*args, **kwargs)


class RenderState(models.TextChoices):
    PENDING = "pending", _("Waiting to be rendered")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Rendering failed")


class Certificate(models.Model):
    """A signed completion certificate. The payload is canonical JSON; Ed25519 signature."""

    number = models.CharField(max_length=20, unique=True)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="certificates"
    )
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField()
    signature = models.CharField(max_length=200)
    key_id = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(storage=private_file_storage, upload_to="certificates/", blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    render_state = models.CharField(
        max_length=20, choices=RenderState.choices, default=RenderState.PENDING
    )
    render_error = models.TextField(blank=True)
    # Set by the worker that claimed the render (compare-and-set); a stale claim is retried.
    render_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table predates the experience app (it lived in rotations); kept as is.
        db_table = "rotations_certificate"
        ordering = ["-issued_at"]
        constraints = [
            # At most one valid certificate per application; a revoked one may be replaced.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_active_per_application",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ErasExperienceDraft(TimeStampedModel):
    """The applicant's ERAS Experience entry for one rotation; content lives in versions."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="eras_draft"
    )

    class Meta:
        # The table predates the experience app (it lived in rotations); kept as is.
        db_table = "rotations_erasexperiencedraft"

    def __str__(self) -> str:
        return f"ERAS experience draft for {self.application}"


class DraftSource(models.TextChoices):
    GENERATED = "generated", _("Generated from the rotation")
    EDITED = "edited", _("Edited")
    RESTORED = "restored", _("Restored from an earlier version")


class ErasExperienceDraftVersion(models.Model):
    """One immutable version of a draft. The newest is the current text."""

    draft = models.ForeignKey(
        ErasExperienceDraft, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=20, choices=DraftSource.choices)
    experience_type = models.CharField(_("experience type"), max_length=80)
    organization = models.CharField(_("organization"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=100, blank=True)
    supervisor = models.CharField(_("supervisor"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    description = models.TextField(_("description"))
    meaningful_reflection = models.TextField(_("most meaningful: reflection"), blank=True)
    # For generated versions: which fact each sentence came from and what was left out.
    explanation = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table predates the experience app (it lived in rotations); kept as is.
        db_table = "rotations_erasexperiencedraftversion"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="eras_draft_version_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.draft}"
