"""Match Week and SOAP: one applicant's cockpit per season (docs/dev/soap.md).

Everything hangs off a `SoapWeek`: the real week of a season or a drill of a past one. The
imported list of unfilled programs, the applications and the offers all belong to one week,
so a drill can never reach the real list or the real records, and a week is private to its
applicant (another person's rows answer 404). The 45-application limit is counted under a
lock on the week row (`core.locking`); one accepted offer per week and one offer per program
per week are also database constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel


class WeekKind(models.TextChoices):
    REAL = "real", _("Real Match Week")
    DRILL = "drill", _("Drill (practice)")


class PartialMatch(models.TextChoices):
    NONE = "none", _("Not matched")
    PRELIMINARY = "preliminary", _("Matched to a preliminary position only")
    ADVANCED = "advanced", _("Matched to an advanced position only")


class SoapWeek(TimeStampedModel):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="soap_weeks"
    )
    season = models.CharField(_("Match season"), max_length=4)
    kind = models.CharField(max_length=5, choices=WeekKind.choices, default=WeekKind.REAL)
    partial_match = models.CharField(
        _("Monday's result"),
        max_length=12,
        choices=PartialMatch.choices,
        default=PartialMatch.NONE,
    )
    # Drill clock: simulated now = drill_origin + (real now - drill_started_at) * drill_speed.
    drill_speed = models.PositiveIntegerField(null=True, blank=True)
    drill_origin = models.DateTimeField(null=True, blank=True)
    drill_started_at = models.DateTimeField(null=True, blank=True)
    drill_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-season", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "season", "kind"], name="soap_week_unique_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.season}"

    @property
    def is_drill(self) -> bool:
        return self.kind == WeekKind.DRILL


class ListImport(models.Model):
    """One copy of the List of Unfilled Programs, as imported for one round: 0 is Monday's
    list, N the list refreshed after offer round N. Re-importing a round replaces it."""

    week = models.ForeignKey(SoapWeek, on_delete=models.CASCADE, related_name="imports")
    round = models.PositiveSmallIntegerField(_("list after round"), default=0)
    imported_at = models.DateTimeField()
    fictitious = models.BooleanField(default=False)

    class Meta:
        ordering = ["week", "round"]
        constraints = [
            models.UniqueConstraint(fields=["week", "round"], name="soap_import_unique_round")
        ]

    def __str__(self) -> str:
        return f"List after round {self.round}"


class PositionCode(models.TextChoices):
    CATEGORICAL = "C", _("Categorical")
    PRIMARY_CARE = "M", _("Primary care")
    PRELIMINARY = "P", _("Preliminary")
    ADVANCED = "A", _("Advanced")
    RESERVED = "R", _("Reserved (physician)")


class ApplicationService(models.TextChoices):
    ERAS = "eras", _("ERAS")
    RESIDENCYCAS = "residencycas", _("ResidencyCAS")
    OTHER = "other", _("Other")


class UnfilledProgram(models.Model):
    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="rows")
    program_code = models.CharField(_("program code"), max_length=11)
    # Optional, only to join the ERAS workspace's program data (visas) when the code is absent.
    acgme_id = models.CharField(_("ACGME program ID"), max_length=10, blank=True)
    name = models.CharField(_("program name"), max_length=200)
    specialty = models.CharField(_("specialty"), max_length=120)
    position_type = models.CharField(_("position type"), max_length=1, choices=PositionCode.choices)
    state = models.CharField(_("state"), max_length=2)
    unfilled_positions = models.PositiveSmallIntegerField(_("unfilled positions"))
    soap_participating = models.BooleanField(_("takes part in SOAP"))
    application_service = models.CharField(
        _("application service"),
        max_length=12,
        choices=ApplicationService.choices,
        default=ApplicationService.ERAS,
    )

    class Meta:
        ordering = ["specialty", "name", "program_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["list_import", "program_code"], name="soap_unfilled_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.program_code})"


class SoapApplication(TimeStampedModel):
    """One of the (at most 45) SOAP applications of a week: picked, then marked sent."""

    week = models.ForeignKey(SoapWeek, on_delete=models.CASCADE, related_name="applications")
    program_code = models.CharField(_("program code"), max_length=11)
    program_name = models.CharField(_("program name"), max_length=200, blank=True)
    letters = models.ManyToManyField("letters.Letter", blank=True, related_name="+")
    statement_version = models.ForeignKey(
        "statements.StatementVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("marked sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "program_code"], name="soap_application_unique_program"
            )
        ]

    def __str__(self) -> str:
        return self.program_name or self.program_code


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    LOST = "lost", _("Lost (another offer was accepted)")


class SoapOffer(TimeStampedModel):
    week = models.ForeignKey(SoapWeek, on_delete=models.CASCADE, related_name="offers")
    program_code = models.CharField(_("program code"), max_length=11)
    program_name = models.CharField(_("program name"), max_length=200, blank=True)
    round = models.PositiveSmallIntegerField(_("offer round"))
    received_at = models.DateTimeField(_("received at"))
    expires_at = models.DateTimeField(_("answer by"))
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    scripted = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "received_at", "pk"]
        constraints = [
            # A program offers once: a declined or expired offer is not repeated.
            models.UniqueConstraint(fields=["week", "program_code"], name="soap_offer_once"),
            models.UniqueConstraint(
                fields=["week"],
                condition=Q(status="accepted"),
                name="soap_offer_one_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_name or self.program_code} (round {self.round})"
