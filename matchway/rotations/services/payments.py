"""Recording money received: the ONE path for every payment, by hand or through a provider.

Coordinators record payments by hand; the Stripe webhook (`matchway.payments`) records card
payments through the same `payment_record`. The ledger (`rotations.ledger`) is re-derived
under the application's row lock, so concurrent payments can never exceed the price.
"""

from __future__ import annotations

from typing import Final

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import InvalidTransition, ValidationFailed
from matchway.core.locking import lock_for_update

from ..ledger import ledger_for
from ..models import (
    Application,
    ApplicationStatus,
    Payment,
    PaymentKind,
    PaymentMethod,
    PaymentProvider,
)
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
MSG_OVERPAID = _("That is more than is still due (%(due)s); nothing was recorded.")
MSG_NOT_DUE = _("The amount does not match what is due now (%(due)s); nothing was recorded.")


def _usd(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def _already_recorded(event_id: str | None, payment_id: str | None) -> Payment | None:
    """The payment a provider event (or the provider's payment) already recorded, if any."""
    if event_id:
        found = Payment.objects.filter(provider_event_id=event_id).first()
        if found is not None:
            return found
    if payment_id:
        return Payment.objects.filter(provider_payment_id=payment_id).first()
    return None


def payment_record(
    *,
    actor: User | None,
    application: Application,
    amount_cents: int,
    method: str,
    reference: str = "",
    kind: str = "",
    provider: str = PaymentProvider.MANUAL,
    provider_event_id: str | None = None,
    provider_payment_id: str | None = None,
) -> Payment:
    """Record money received for `application`. Audited. Every payment goes through here.

    By hand (`provider=manual`): `actor` must be a coordinator; `amount_cents` > 0 except for
    a `waiver` (may be 0), and never more than is still due (overpayment refused). `kind`
    defaults to what the ledger asks for next.
    Through a provider (`actor=None`): `provider_event_id` is unique, so a replayed event
    returns the payment it already recorded and changes nothing; the amount must be exactly
    what the ledger says is due now for `kind` (deposit|balance).
    Raises AccessDenied, ValidationFailed (amount, method, reference, kind) and
    InvalidTransition (the application was closed without completing). Locks the application
    row (not the seat): the ledger is re-read after the lock.
    """
    by_hand = provider == PaymentProvider.MANUAL
    if by_hand or actor is not None:
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
        replay = _already_recorded(provider_event_id, provider_payment_id)
        if replay is not None:
            return replay  # a replay before the lock: nothing to do
        locked = lock_for_update(Application, [application.pk]).get(application.pk)
        if locked is None or locked.status not in PAYABLE_STATUSES:
            raise InvalidTransition()
        replay = _already_recorded(provider_event_id, provider_payment_id)
        if replay is not None:
            return replay  # the same event won the lock first (concurrent delivery)
        locked.session = application.session  # loaded with its rotation and site
        ledger = ledger_for(locked)
        if by_hand:
            if amount_cents > ledger.due_cents:
                message = MSG_OVERPAID % {"due": _usd(ledger.due_cents)}
                raise ValidationFailed(message, errors={"amount_cents": [message]})
            kind = kind or (ledger.next_due.kind if ledger.next_due else PaymentKind.OTHER)
        elif amount_cents != ledger.amount_for(kind) or not amount_cents:
            message = MSG_NOT_DUE % {"due": _usd(ledger.amount_for(kind))}
            raise ValidationFailed(message, errors={"amount_cents": [message]})
        try:
            with transaction.atomic():  # savepoint: the unique ids are the last backstop
                payment = Payment.objects.create(
                    application=application,
                    amount_cents=amount_cents,
                    method=method,
                    kind=kind or PaymentKind.OTHER,
                    provider=provider,
                    provider_event_id=provider_event_id or None,
                    provider_payment_id=provider_payment_id or None,
                    reference=reference,
                    recorded_by=actor,
                    recorded_at=clock.now(),
                )
        except IntegrityError:
            replay = _already_recorded(provider_event_id, provider_payment_id)
            if replay is None:
                raise
            return replay
        receipt_issue(payment)  # numbered in this transaction: no gaps (invoices.py)
        audit_record(
            actor=actor,
            action="payment.recorded",
            target=application,
            data={
                "payment": payment.pk,
                "amount_cents": amount_cents,
                "method": method,
                "kind": payment.kind,
                "provider": provider,
                "reference": reference,
            },
        )
    return payment
