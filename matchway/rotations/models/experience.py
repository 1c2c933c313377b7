"""What happens during and after a rotation: attendance, journal, evaluations, certificates.

Fields are the minimum fixed by DESIGN.md; the experience feature owns the workflows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel
from matchway.core.storage import PrivateFileSystemStorage

from .booking import Application


def _private_storage() -> PrivateFileSystemStorage:
    return PrivateFileSystemStorage()


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
    preceptor_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-entry_date", "-pk"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entry_date}"


class EvaluationKind(models.TextChoices):
    PRECEPTOR = "preceptor", _("Preceptor evaluation")
    SELF = "self", _("Self-assessment")


class EvaluationPhase(models.TextChoices):
    MIDPOINT = "midpoint", _("Midpoint")
    FINAL = "final", _("Final")


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
    recommend_for_residency = models.CharField(max_length=20, blank=True)
    would_write_letter = models.BooleanField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    addendum_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="addenda"
    )
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.application}"


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
    pdf = models.FileField(storage=_private_storage, upload_to="certificates/", blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number
