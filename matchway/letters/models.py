"""Letters of recommendation: requests, the letters themselves and program assignments.

Confidential by design (docs/dev/letters-confidentiality.md): `selectors.py` is the only
module that reads `Letter`, and every read names its viewer. Models hold fields,
constraints and row-local predicates only; every transition is a service in the `services` package.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.core.models import TimeStampedModel
from matchway.core.storage import private_storage

GENERAL = "general"

# The database backstop for "at most 4 letters per program". ERAS states 4 as a system
# limit (reference data `letters_of_recommendation.max_per_program`); the service reads the
# season value, this constant only bounds the `slot` column so no code path can exceed it.
MAX_SLOTS_PER_PROGRAM = 4

# Standardized letters are written inside ERAS / ResidencyCAS, never uploaded as PDFs
# (domain-facts §2): the ERAS 2027 pilot (Dermatology, Plastic Surgery–Integrated,
# Urology) and Emergency Medicine's SLOE. Codes from specialties.csv.
STANDARDIZED_PILOT_CODES = frozenset({"080", "362", "480"})
SLOE_CODES = frozenset({"110"})


def _private_storage() -> Any:
    # The configured private storage (file system by default, S3-compatible by setting).
    return private_storage()


def letter_upload_to(instance: Letter, filename: str) -> str:
    # A random name on disk: never the writer's file name (it is confidential when waived).
    return f"letters/{uuid.uuid4().hex}"


class LetterKind(models.TextChoices):
    NARRATIVE = "narrative", _("Narrative letter (PDF)")
    STANDARDIZED = "standardized", _("Standardized letter (written in ERAS / ResidencyCAS)")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    UPLOADED = "uploaded", _("Uploaded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


# The writer may act (accept, decline, upload, replace, finalize) only in these states and
# only while the letter is not final. The secret link works exactly as long.
WRITER_STATES = (LetterStatus.REQUESTED, LetterStatus.ACCEPTED, LetterStatus.UPLOADED)
# Waiting for the writer: reminders and nudges apply.
WAITING_STATES = (LetterStatus.REQUESTED, LetterStatus.ACCEPTED)
# The applicant may withdraw from these.
WITHDRAWABLE_STATES = (
    LetterStatus.DRAFT,
    LetterStatus.REQUESTED,
    LetterStatus.ACCEPTED,
    LetterStatus.UPLOADED,
)
CLOSED_STATES = (LetterStatus.DECLINED, LetterStatus.WITHDRAWN, LetterStatus.EXPIRED)


class LetterRequest(TimeStampedModel):
    """One letter an applicant asks one writer for (one ERAS letter entry)."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letter_requests"
    )
    # A preceptor with an account, or nobody (an outside writer known by name and email).
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letter_requests_to_write",
    )
    # Always filled (copied from the account when there is one) so emails and pages never
    # depend on the account still existing.
    writer_name = models.CharField(_("writer's name"), max_length=150)
    writer_email = models.EmailField(_("writer's email"))
    writer_title = models.CharField(
        _("writer's title and department"),
        max_length=200,
        blank=True,
        help_text=_(
            "ERAS asks for the author's title and department, e.g. “MD, Internal Medicine”."
        ),
    )
    application = models.ForeignKey(
        "rotations.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letter_requests",
    )
    specialty_code = models.CharField(_("specialty"), max_length=10, default=GENERAL)
    kind = models.CharField(
        _("letter kind"), max_length=20, choices=LetterKind.choices, default=LetterKind.NARRATIVE
    )
    waived = models.BooleanField(_("I waive my right to see this letter"), default=True)
    route_to_coordinators = models.BooleanField(
        _("share the letter with the rotation provider's coordinators"), default=False
    )
    # Opaque: ERAS creates a unique Letter ID per letter entry, but publishes no format we
    # could check, so it is stored trimmed and shown as typed (domain-facts §2).
    eras_letter_id = models.CharField(_("ERAS Letter ID"), max_length=64, blank=True)
    due_date = models.DateField(_("due date"))
    message = models.TextField(_("message to the writer"), blank=True, max_length=5000)
    brag_notes = models.TextField(_("anything else the writer should know"), blank=True)
    # The brag sheet as generated when the request was last edited (a snapshot: the writer
    # sees what the applicant saw, not whatever the journal holds later).
    brag_sheet = models.JSONField(default=dict, blank=True)
    attachments = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("attachments")
    )
    status = models.CharField(
        max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT, db_index=True
    )
    remind_applicant_on = models.DateField(_("remind me to ask on"), null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_note = models.TextField(blank=True, max_length=2000)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    eras_uploaded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True, max_length=2000)
    expired_at = models.DateTimeField(null=True, blank=True)
    last_nudged_at = models.DateTimeField(null=True, blank=True)
    # When the newest writer link stops working (the digest lives in core.OneTimeToken).
    writer_link_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(writer_email=""), name="letter_request_has_writer_email"
            ),
            models.CheckConstraint(
                condition=Q(finalized_at__isnull=True)
                | Q(status__in=[LetterStatus.UPLOADED, LetterStatus.WITHDRAWN]),
                name="letter_request_final_only_when_uploaded",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in LetterKind]),
                name="letter_request_kind_valid",
            ),
            # ERAS gives every letter entry its own Letter ID: two live requests of one
            # applicant cannot share one.
            models.UniqueConstraint(
                fields=["applicant", "eras_letter_id"],
                condition=~Q(eras_letter_id="") & ~Q(status__in=[s.value for s in CLOSED_STATES]),
                name="letter_request_unique_live_letter_id",
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["writer", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"Letter request #{self.pk} ({self.get_status_display()})"

    @property
    def is_final(self) -> bool:
        return self.finalized_at is not None

    @property
    def writer_can_act(self) -> bool:
        return self.status in WRITER_STATES and self.finalized_at is None

    @property
    def is_standardized(self) -> bool:
        return self.kind == LetterKind.STANDARDIZED


class Letter(TimeStampedModel):
    """The letter a writer provided for one request.

    A narrative letter carries a private PDF. A standardized letter is written inside
    ERAS/ResidencyCAS, so its row records only that it exists (no file): assignments to
    programs still count it. Replacing the PDF updates this row in place and deletes the
    superseded file after commit (see docs/dev/letters-confidentiality.md, "Versions").
    """

    request = models.OneToOneField(LetterRequest, on_delete=models.CASCADE, related_name="letter")
    file = models.FileField(
        upload_to=letter_upload_to, storage=_private_storage, max_length=200, blank=True
    )
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & Q(sha256="") & Q(size__isnull=True) & Q(pages__isnull=True))
                | (~Q(file="") & ~Q(sha256="") & Q(size__isnull=False) & Q(pages__isnull=False)),
                name="letter_file_fields_together",
            )
        ]

    def __str__(self) -> str:
        # Deliberately no file name or size: this string lands in audit labels.
        return f"Letter for request #{self.request_id}"

    @property
    def has_file(self) -> bool:
        return bool(self.file)


class LetterAssignment(TimeStampedModel):
    """A letter assigned to one program (ERAS: at most 4 letters per program).

    `slot` (1..4) with a unique (applicant, program_key, slot) constraint is the database
    backstop: even a buggy or concurrent caller cannot store a fifth letter for a program.
    """

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="assignments")
    # Denormalised from letter.request.applicant so the constraint can see it.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    program_label = models.CharField(_("program"), max_length=200)
    # Case- and space-insensitive form of the label: "IM – Lakeside" and "im – lakeside"
    # are the same program.
    program_key = models.CharField(max_length=200)
    slot = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["program_key", "slot"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=MAX_SLOTS_PER_PROGRAM),
                name="letter_assignment_slot_range",
            ),
            models.UniqueConstraint(
                fields=["applicant", "program_key", "slot"],
                name="letter_assignment_unique_slot",
            ),
            models.UniqueConstraint(
                fields=["letter", "program_key"], name="letter_assignment_once_per_program"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_label} #{self.slot}"


class ReminderKind(models.TextChoices):
    WRITER_BEFORE = "writer_before", _("Writer reminder before the due date")
    WRITER_AFTER = "writer_after", _("Writer reminder after the due date")
    APPLICANT_ASK = "applicant_ask", _("Applicant reminder: time to ask")


class LetterReminder(models.Model):
    """Bookkeeping of sent reminders: the unique row IS the compare-and-set claim.

    A periodic run inserts the row before sending; a second run (or a concurrent one)
    hits the unique constraint and skips, so no offset is ever sent twice.
    """

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    offset_days = models.SmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "offset_days"], name="letter_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.offset_days} for request #{self.request_id}"
