"""Reference data loaded from the CSV/JSON files in `reference/data/` (load_reference_data)."""

from __future__ import annotations

import re

from django.db import models


class Specialty(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=40, blank=True)
    eras_participating = models.BooleanField(default=True)
    match_type = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    # From specialty_profiles.csv: our own two-sentence description, the name the ERAS
    # program-signal tables use for it, and training length only where a source gives it.
    description = models.TextField(blank=True)
    signal_key = models.CharField(max_length=120, blank=True)
    training_years = models.PositiveSmallIntegerField(null=True, blank=True)
    training_source = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name

    @property
    def field_name(self) -> str:
        """The field as people say it, without the residency track: "Internal Medicine"
        for "Internal Medicine (Categorical)" or "Internal Medicine - Primary Care track"."""
        return specialty_field_name(self.name)


class State(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=60)
    fips = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    framework = models.CharField(max_length=40)
    code = models.CharField(max_length=10)
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    reference = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_unique_code")
        ]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class MatchOutcome(models.Model):
    """One row of match_outcomes.csv: NRMP Main Match figures for one year and one label.

    `specialty` is None for the all-specialty rows ("ALL PGY-1"); `scope` keeps NRMP's split
    ("PGY-1 positions", "incl. combined programs"). Every count may be missing (None): missing
    means "not found in a source", never zero. `source_label`/`source_url` cite the row.
    """

    year = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=160)
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.CASCADE, related_name="match_outcomes"
    )
    scope = models.CharField(max_length=60, blank=True)
    positions_offered = models.PositiveIntegerField(null=True, blank=True)
    filled_total = models.PositiveIntegerField(null=True, blank=True)
    filled_us_md = models.PositiveIntegerField(null=True, blank=True)
    filled_us_do = models.PositiveIntegerField(null=True, blank=True)
    filled_us_img = models.PositiveIntegerField(null=True, blank=True)
    filled_non_us_img = models.PositiveIntegerField(null=True, blank=True)
    unfilled = models.PositiveIntegerField(null=True, blank=True)
    source_label = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500)

    class Meta:
        ordering = ["-year", "label"]
        constraints = [
            models.UniqueConstraint(fields=["year", "label"], name="match_outcome_unique_label")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.label}"

    @property
    def fill_rate(self) -> float | None:
        """Filled / offered in percent, one decimal; None unless both are known."""
        if not self.positions_offered or self.filled_total is None:
            return None
        return round(100 * self.filled_total / self.positions_offered, 1)


def specialty_field_name(name: str) -> str:
    """`Specialty.field_name` of a specialty called `name` (for rows read without the ORM)."""
    field = name.split(" - ", 1)[0]
    return re.sub(r"\s*\([^)]*\)\s*$", "", field).strip() or name
