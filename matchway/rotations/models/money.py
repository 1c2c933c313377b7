"""Money beyond the payment rows: refunds, and numbered receipts and invoices.

The ledger of an application is always derived from its `Payment` and `Refund` rows
(`rotations.selectors` / `rotations.ledger`), never stored as a running total. Amounts are
integer cents, USD.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .booking import Application, Payment, PaymentKind, PaymentMethod, PaymentProvider


class Refund(models.Model):
    """Money given back. `rule` names the refund-policy rule that gave the amount (empty when
    recorded by hand); `over_policy` marks a coordinator's refund above the policy (a reason is
    then required and audited). Never more than was paid (checked under the application lock)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    reason = models.TextField(_("reason"), blank=True)
    rule = models.CharField(_("policy rule"), max_length=200, blank=True)
    over_policy = models.BooleanField(_("more than the policy"), default=False)
    provider = models.CharField(
        _("provider"),
        max_length=10,
        choices=PaymentProvider.choices,
        default=PaymentProvider.MANUAL,
    )
    provider_refund_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    # How the money went back: the payment's method for a card refund through the provider,
    # or what the coordinator chose when recording a refund made outside Matchway.
    method = models.CharField(
        _("method"), max_length=20, choices=PaymentMethod.choices, blank=True, default=""
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"refund ${self.amount_cents / 100:,.2f}"


class InvoiceKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    INVOICE = "invoice", _("Invoice")


class InvoiceSequence(models.Model):
    """The last number issued per kind and year; locked while the next number is taken, so
    numbers have no gaps and no duplicates under concurrency."""

    kind = models.CharField(max_length=10, choices=InvoiceKind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="invoice_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"


class Invoice(models.Model):
    """A receipt (one per payment) or the final invoice (one per confirmed application).
    `data` is the snapshot of what the document states (provider and applicant names and
    addresses, rotation, dates, amounts, method, reference), so it never changes afterwards."""

    kind = models.CharField(_("kind"), max_length=10, choices=InvoiceKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=30, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="invoices")
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="receipt"
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    issued_at = models.DateTimeField(_("issued at"))
    data = models.JSONField(_("contents"), default=dict)

    class Meta:
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="invoice_number_unique"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="invoice"),
                name="invoice_one_final_per_application",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentReminder(models.Model):
    """One reminder per application, kind and due date: the row is the claim, so overlapping
    `run_periodic` runs send it once (`payments.periodic.payment_reminders_send`). A new due
    date (the session moved) may be reminded again."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="payment_reminders"
    )
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    due_date = models.DateField()
    amount_cents = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_date"], name="payment_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.due_date}"
