"""Arrival logistics: what a confirmed applicant needs for the first day at the site.

A rotation holds the defaults (`RotationArrival`); a session may override any field
(`SessionArrival`, blank or null = "same as the rotation"). Both are one-to-one side tables
rather than columns on Rotation/RotationSession so the catalog models stay small and the
arrival data is read only where it is shown. `rotations.arrival.arrival_for(session)`
merges them field by field; nothing else should read these rows for display.

The first-day time is a wall-clock time at the site, in `Site.timezone`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel

# Field names shared by both tables, in display order (the resolver and forms use it).
ARRIVAL_FIELDS = (
    "first_day_time",
    "meeting_place",
    "ask_for",
    "dress_code",
    "what_to_bring",
    "parking_transit",
    "housing",
    "site_contact",
    "access_steps",
)


class ArrivalInfo(TimeStampedModel):
    first_day_time = models.TimeField(
        _("first-day arrival time"),
        null=True,
        blank=True,
        help_text=_("Local time at the site on the first day, in the site's time zone."),
    )
    meeting_place = models.CharField(
        _("where to go on the first day"),
        max_length=300,
        blank=True,
        help_text=_("Building, entrance and room. Calendar apps show this as the location."),
    )
    ask_for = models.CharField(
        _("whom to ask for"),
        max_length=200,
        blank=True,
        help_text=_("A name and role, e.g. the chief resident or the program assistant."),
    )
    dress_code = models.TextField(_("dress code"), max_length=1000, blank=True)
    what_to_bring = models.TextField(_("what to bring"), max_length=1500, blank=True)
    parking_transit = models.TextField(_("parking and transit"), max_length=1500, blank=True)
    housing = models.TextField(_("housing suggestions"), max_length=1500, blank=True)
    site_contact = models.CharField(
        _("site contact"),
        max_length=300,
        blank=True,
        help_text=_("Name, phone and email of the person to call on the first day."),
    )
    access_steps = models.TextField(
        _("badge and EHR access steps"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Shown only to applicants whose seat is confirmed, never on public pages "
            "or in calendar feeds."
        ),
    )

    class Meta:
        abstract = True


class RotationArrival(ArrivalInfo):
    """The rotation's arrival defaults (every session uses them unless it overrides)."""

    rotation = models.OneToOneField(
        "rotations.Rotation", on_delete=models.CASCADE, related_name="arrival"
    )

    class Meta:
        verbose_name = _("rotation arrival information")

    def __str__(self) -> str:
        return f"Arrival for rotation {self.rotation_id}"


class SessionArrival(ArrivalInfo):
    """One session's overrides: a blank (or null) field means "as the rotation says"."""

    session = models.OneToOneField(
        "rotations.RotationSession", on_delete=models.CASCADE, related_name="arrival"
    )

    class Meta:
        verbose_name = _("session arrival overrides")

    def __str__(self) -> str:
        return f"Arrival overrides for session {self.session_id}"
