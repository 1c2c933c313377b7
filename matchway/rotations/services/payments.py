"""Payments recorded by coordinators (no payment provider yet; DESIGN.md)."""

from __future__ import annotations

from typing import Final

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import InvalidTransition, ValidationFailed

from ..models import Application, ApplicationStatus, Payment, PaymentMethod
from .applications import require_coordinator
from .invoices import receipt_issue

# Money can arrive while an application is alive or after it completed; not once it was
# declined, withdrawn, expired or cancelled (refunds are handled outside Matchway for now).
PAYABLE_STATUSES: Final = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.IN_PROGRESS,
        ApplicationStatus.COMPLETED,
    }
)
MAX_AMOUNT_CENTS: Final = 10_000_000  # USD 100,000: anything larger is a typo
MSG_AMOUNT = _("Enter an amount greater than zero (a waiver may be zero).")
MSG_AMOUNT_TOO_LARGE = _("That amount looks too large; please check it.")
MSG_METHOD = _("Choose a payment method.")
MSG_REFERENCE = _("Keep the reference under 200 characters.")


def payment_record(
    *,
    actor: User,
    application: Application,
    amount_cents: int,
    method: str,
    reference: str = "",
) -> Payment:
    """Record money received for `application` (coordinator). Audited.

    `amount_cents` must be > 0, except for `waiver` (which waives the deposit and may be 0).
    Raises AccessDenied (not a coordinator), ValidationFailed (amount, method, reference) and
    InvalidTransition (the application was closed without completing). Takes no seat lock:
    payments do not change seats; `application_confirm` reads them under its lock.
    """
    actor = require_coordinator(actor)
    if method not in PaymentMethod.values:
        raise ValidationFailed(MSG_METHOD, errors={"method": [str(MSG_METHOD)]})
    if (
        isinstance(amount_cents, bool)
        or not isinstance(amount_cents, int)
        or amount_cents < 0
        or (amount_cents == 0 and method != PaymentMethod.WAIVER)
    ):
        raise ValidationFailed(MSG_AMOUNT, errors={"amount_cents": [str(MSG_AMOUNT)]})
    if amount_cents > MAX_AMOUNT_CENTS:
        raise ValidationFailed(
            MSG_AMOUNT_TOO_LARGE, errors={"amount_cents": [str(MSG_AMOUNT_TOO_LARGE)]}
        )
    reference = (reference or "").strip()
    if len(reference) > 200:
        raise ValidationFailed(MSG_REFERENCE, errors={"reference": [str(MSG_REFERENCE)]})
    with transaction.atomic():
        status = (
            Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
        )
        if status not in PAYABLE_STATUSES:
            raise InvalidTransition()
        payment = Payment.objects.create(
            application=application,
            amount_cents=amount_cents,
            method=method,
            reference=reference,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        receipt_issue(payment)  # numbered in this transaction: no gaps (invoices.py)
        audit_record(
            actor=actor,
            action="payment.recorded",
            target=application,
            data={
                "payment": payment.pk,
                "amount_cents": amount_cents,
                "method": method,
                "reference": reference,
            },
        )
    return payment
