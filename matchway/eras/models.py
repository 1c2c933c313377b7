"""The applicant's ERAS season: programs (with their IMG-relevant requirements), one
applicant's target per program, the documents assigned to it, interviews and the rank list.

Programs are never scraped: an applicant adds them by hand or imports a CSV, and a coordinator
may curate a shared list (`owner` empty) that applicants copy from. Every requirement carries
where it was read (`source_url`) and when (`checked_on`), so a verdict can say why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel

acgme_id_validator = RegexValidator(
    r"^\d{10}$", _("An ACGME program ID is exactly 10 digits, for example 1403521001.")
)
# NRMP program codes look like 1234140C0 (4 digits institution, 3 digits specialty, a letter
# for the position type, a digit): never derived from the ACGME id, only validated.
nrmp_code_validator = RegexValidator(
    r"^\d{7}[A-Z]\d$",
    _("An NRMP program code is 7 digits, a capital letter and a digit, for example 1234140C0."),
)


class PositionType(models.TextChoices):
    CATEGORICAL = "categorical", _("Categorical")
    PRELIMINARY = "preliminary", _("Preliminary")
    ADVANCED = "advanced", _("Advanced")
    PRIMARY_CARE = "primary_care", _("Primary care")
    TRANSITIONAL = "transitional", _("Transitional")


class Program(TimeStampedModel):
    """A residency program. `owner` is the applicant who added it; a program with no owner is
    on the coordinators' shared list. The same ACGME id appears once per owner."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="eras_programs",
    )
    acgme_id = models.CharField(
        _("ACGME program ID"), max_length=10, validators=[acgme_id_validator]
    )
    nrmp_code = models.CharField(
        _("NRMP program code"), max_length=9, blank=True, validators=[nrmp_code_validator]
    )
    name = models.CharField(_("program name"), max_length=200)
    specialty = models.ForeignKey(
        "reference.Specialty", on_delete=models.PROTECT, related_name="eras_programs"
    )
    position_type = models.CharField(
        _("position type"),
        max_length=20,
        choices=PositionType.choices,
        default=PositionType.CATEGORICAL,
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "acgme_id"], name="eras_program_unique_per_owner"
            ),
            models.UniqueConstraint(
                fields=["acgme_id"],
                condition=Q(owner__isnull=True),
                name="eras_program_unique_shared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acgme_id})"


class RequirementKind(models.TextChoices):
    STEP2_MIN = "step2_min", _("Minimum USMLE Step 2 CK score")
    ATTEMPTS = "attempts", _("Exam attempts allowed")
    YEARS_SINCE_GRADUATION = "years_since_graduation", _("Years since graduation")
    USCE_MONTHS = "usce_months", _("Months of US clinical experience")
    USCE_KIND = "usce_kind", _("Kind of US clinical experience")
    USCE_RECENCY = "usce_recency", _("How recent the US clinical experience must be (months)")
    ECFMG_BY = "ecfmg_by", _("ECFMG certificate needed by")
    VISAS = "visas", _("Visas sponsored")
    STATE_RULES = "state_rules", _("State rules on IMGs")
    IMG_SHARE = "img_share", _("Share of IMGs among residents")


class Strictness(models.TextChoices):
    STRICT = "strict", _("Strict")
    PREFERRED = "preferred", _("Preferred")
    UNKNOWN = "unknown", _("Unknown")


class ProgramRequirement(models.Model):
    """One requirement as the program states it. `value` is text as read (numbers as digits,
    visas as a comma list of `j1`, `h1b`, `none`, dates as YYYY-MM-DD)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("requirement"), max_length=30, choices=RequirementKind.choices)
    value = models.CharField(_("value"), max_length=200)
    strictness = models.CharField(
        _("strictness"), max_length=10, choices=Strictness.choices, default=Strictness.UNKNOWN
    )
    source_url = models.URLField(_("source"), blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        ordering = ["program", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="eras_requirement_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class TargetStatus(models.TextChoices):
    CONSIDERING = "considering", _("Considering")
    APPLIED = "applied", _("Applied")
    INTERVIEW_INVITED = "interview_invited", _("Interview invited")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("Interview scheduled")
    INTERVIEWED = "interviewed", _("Interviewed")
    RANKED = "ranked", _("Ranked")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Signal(models.TextChoices):
    NONE = "none", _("No signal")
    GOLD = "gold", _("Gold signal")
    SILVER = "silver", _("Silver signal")
    SIGNAL = "signal", _("Signal")  # seasons/specialties without tiers


class ProgramTarget(TimeStampedModel):
    """One applicant's entry for one program in one season."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eras_targets"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="targets")
    season = models.CharField(_("season"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=TargetStatus.choices, default=TargetStatus.CONSIDERING
    )
    signal = models.CharField(
        _("signal"), max_length=10, choices=Signal.choices, default=Signal.NONE
    )
    geographic_preference = models.BooleanField(_("geographic preference"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    statement_version = models.ForeignKey(
        "statements.StatementVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="eras_targets",
    )
    experiences_note = models.TextField(_("experiences used"), blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        ordering = ["program__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "program", "season"], name="eras_target_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name} ({self.get_status_display()})"


class TargetStatusChange(models.Model):
    """Every status change of a target, with its time (the pipeline's history)."""

    target = models.ForeignKey(ProgramTarget, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '(new)'} -> {self.to_status}"


class InterviewFormat(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    IN_PERSON = "in_person", _("In person")


class Interview(TimeStampedModel):
    """An interview invitation: the instant it starts (aware, stored in UTC) and the zone the
    program gave it in, so it can be shown in both zones."""

    target = models.ForeignKey(ProgramTarget, on_delete=models.CASCADE, related_name="interviews")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=240)
    timezone = models.CharField(_("program's time zone"), max_length=64)
    format = models.CharField(
        _("format"), max_length=10, choices=InterviewFormat.choices, default=InterviewFormat.VIRTUAL
    )
    link = models.URLField(_("link"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    thank_you_sent_at = models.DateTimeField(_("thank-you note sent"), null=True, blank=True)
    thank_you_due_on = models.DateField(_("thank-you note due"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.target.program.name} at {self.starts_at:%Y-%m-%d %H:%M}"
