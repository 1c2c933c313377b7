"""Reference data loaded from the CSV/JSON files in `reference/data/` (load_reference_data)."""

from __future__ import annotations

from django.db import models


class Specialty(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=40, blank=True)
    eras_participating = models.BooleanField(default=True)
    match_type = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


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
