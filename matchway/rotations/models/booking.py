"""Catalog and booking: sites, rotations, sessions with seats, applications, payments.

Seat arithmetic and states are fixed in DESIGN.md; the concurrency rules live in
docs/dev/booking-concurrency.md. Models hold fields, constraints and row-local predicates
only: every transition is a service in `rotations/services/`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.models import TimeStampedModel
from matchway.reference.models import specialty_field_name


class SiteKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    PRIVATE_PRACTICE = "private_practice", _("Private practice")
    VIRTUAL = "virtual", _("Virtual")


class Site(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(
        _("street address"), max_length=250, blank=True, help_text=_("Empty for virtual sites.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("state"),
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="virtual") | Q(address=""),
                name="site_virtual_has_no_address",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def location_label(self) -> str:
        if self.kind == SiteKind.VIRTUAL:
            return str(_("Online"))
        return ", ".join(p for p in (self.city, self.state_id or "") if p)


class RotationKind(models.TextChoices):
    CLERKSHIP = "clerkship", _("Hands-on clerkship")
    OBSERVERSHIP = "observership", _("Observership")
    EXTERNSHIP = "externship", _("Externship")
    RESEARCH = "research", _("Research")
    TELEHEALTH = "telehealth", _("Telehealth")


class Rotation(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    specialty = models.ForeignKey(
        "reference.Specialty",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("specialty"),
    )
    subspecialty = models.CharField(_("subspecialty"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RotationKind.choices)
    hands_on = models.BooleanField(
        _("hands-on"),
        default=False,
        help_text=_("Students examine patients and write notes under supervision."),
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="rotations")
    preceptors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="precepted_rotations"
    )
    description = models.TextField(_("description (Markdown)"), blank=True)
    weeks = models.PositiveSmallIntegerField(_("weeks"), default=4)
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    deposit_cents = models.PositiveIntegerField(_("deposit (cents)"), default=0)
    refund_policy = models.TextField(_("refund policy"), blank=True)
    # Structured refund policy (rotations.refunds validates and explains it; the text shown
    # to applicants is generated from it). Empty: only `refund_policy` text, no automatic quote.
    refund_rules = models.JSONField(_("refund rules"), default=dict, blank=True)
    balance_due_days = models.PositiveSmallIntegerField(
        _("balance due (days before start)"), default=30
    )
    required_document_types = models.ManyToManyField(
        "documents.DocumentType", blank=True, related_name="+", verbose_name=_("required documents")
    )
    graduates_allowed = models.BooleanField(_("graduates may apply"), default=True)
    students_allowed = models.BooleanField(_("students may apply"), default=True)
    eligibility_notes = models.TextField(_("eligibility notes"), blank=True)
    letter_possible = models.BooleanField(_("letter of recommendation possible"), default=False)
    hold_hours = models.PositiveSmallIntegerField(
        _("seat hold (hours)"),
        default=72,
        help_text=_("How long an accepted applicant has to complete documents and deposit."),
    )
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit_cents__lte=models.F("price_cents")),
                name="rotation_deposit_not_above_price",
            ),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="rotation_weeks_positive"),
            models.CheckConstraint(condition=Q(hold_hours__gte=1), name="rotation_hold_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def specialty_label(self) -> str:
        """ "Cardiology · Internal Medicine": what the rotation is, then its field."""
        return specialty_label(self.subspecialty, self.specialty.name)

    def get_absolute_url(self) -> str:
        return reverse("rotations:detail", args=[self.slug])


def specialty_label(subspecialty: str, specialty_name: str) -> str:
    """`Rotation.specialty_label` from plain values (the catalog reads rows, not models)."""
    field = specialty_field_name(specialty_name)
    return f"{subspecialty} · {field}" if subspecialty else field


class BookingMode(models.TextChoices):
    INSTANT = "instant", _("Instant booking")
    REVIEW = "review", _("Reviewed by a coordinator")


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


def accepts_applications_on(
    today: dt.date, *, status: str, start_date: dt.date, application_deadline: dt.date | None
) -> bool:
    """Whether a session takes applications on `today` (its site's date): open, and not past
    its deadline (or its start date when it has none). Seats are checked by services."""
    return status == SessionStatus.OPEN and today <= (application_deadline or start_date)


class RotationSession(TimeStampedModel):
    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="sessions")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.IntegerField(_("seats"))
    booking_mode = models.CharField(
        _("booking mode"), max_length=10, choices=BookingMode.choices, default=BookingMode.REVIEW
    )
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    midpoint_evaluation = models.BooleanField(_("midpoint evaluation"), default=False)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0), name="session_capacity_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="session_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"]),
            # The catalog's next open start per rotation (catalog_sql.py): an index seek
            # that reads no table row.
            models.Index(
                fields=["rotation", "status", "start_date"], name="session_rotation_open_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotation.title}: {self.start_date:%b %d} – {self.end_date:%b %d, %Y}"

    @property
    def accepts_applications(self) -> bool:
        """Open and before its deadline (or start date). Seats are checked by services."""
        if self.status != SessionStatus.OPEN:
            return False  # without reading the site's date (its rotation and site)
        return accepts_applications_on(
            clock.site_today(self.rotation.site),
            status=self.status,
            start_date=self.start_date,
            application_deadline=self.application_deadline,
        )


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    ACCEPTED = "accepted", _("Accepted — seat held")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Hold expired")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.IN_PROGRESS,
)
# Statuses that hold a seat (an ACCEPTED hold only while hold_expires_at > now).
SEAT_STATUSES = (
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.COMPLETED,
)


class Application(TimeStampedModel):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    session = models.ForeignKey(
        RotationSession, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # Waitlist order is derived from this timestamp (then pk), never stored as a number.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    motivation = models.TextField(_("motivation"), blank=True, max_length=4000)
    referral_source = models.CharField(_("how you heard of us"), max_length=200, blank=True)
    consent_share_documents = models.BooleanField(default=False)
    status_reason = models.TextField(blank=True)
    confirm_override_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set once by the `arrival_reminders_send` job (compare-and-set): never a second reminder.
    arrival_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "session"],
                condition=Q(status__in=[s.value for s in LIVE_STATUSES]),
                name="application_one_live_per_session",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.session}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def holds_seat(self, now: object = None) -> bool:
        if self.status in SEAT_STATUSES:
            return True
        current = now or clock.now()
        return (
            self.status == ApplicationStatus.ACCEPTED
            and self.hold_expires_at is not None
            and self.hold_expires_at > current  # type: ignore[operator]
        )


class ApplicationEvent(models.Model):
    """The transition log: every status change with who, when and why (a timeline)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    WAIVER = "waiver", _("Waiver")
    OTHER = "other", _("Other")


class PaymentKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")
    OTHER = "other", _("Other")


class PaymentProvider(models.TextChoices):
    MANUAL = "manual", _("Recorded by hand")
    STRIPE = "stripe", _("Stripe")


class Payment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    kind = models.CharField(
        _("for"), max_length=10, choices=PaymentKind.choices, default=PaymentKind.OTHER
    )
    provider = models.CharField(
        _("provider"),
        max_length=10,
        choices=PaymentProvider.choices,
        default=PaymentProvider.MANUAL,
    )
    # Stripe's event id (evt_…) and payment id (pi_…): unique, so a replayed webhook records
    # nothing new. NULL for payments recorded by hand.
    provider_event_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    provider_payment_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    # None when the payment came through a provider's webhook (no person recorded it).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gte=0), name="payment_amount_nonnegative"
            )
        ]

    def __str__(self) -> str:
        return f"${self.amount_cents / 100:,.2f} ({self.get_method_display()})"
