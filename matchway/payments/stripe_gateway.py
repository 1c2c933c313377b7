"""Card payments through Stripe Checkout: the one module that talks to Stripe.

No card data touches Matchway: the applicant pays on Stripe's page; Stripe tells us through
the signed webhook (`views.stripe_webhook`), which records the payment through
`rotations.services.payments.payment_record` like every other payment (docs/dev/money.md).
Keys come from the environment (`STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`); without them
card payments are off and applicants see the bank-transfer instructions instead.
"""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from matchway.accounts.models import User
from matchway.core.audit import audit_record
from matchway.core.exceptions import ApplicationError, InvalidTransition
from matchway.rotations.ledger import cards_enabled, ledger_for
from matchway.rotations.models import Application, PaymentKind

CURRENCY = "usd"
KINDS = (PaymentKind.DEPOSIT, PaymentKind.BALANCE)


class PaymentProviderError(ApplicationError):
    code = "payment_provider_error"
    status = 502
    default_message = _("The card payment page could not be opened; please try again shortly.")


def checkout_start(*, actor: User, application: Application, kind: str) -> str:
    """Open a Stripe Checkout Session for exactly what the ledger says is due now for `kind`
    (deposit|balance), with the application id as `client_reference_id` and in metadata.
    Returns the URL of Stripe's payment page. Audited. Raises InvalidTransition when nothing
    of that kind is due, PaymentProviderError when Stripe cannot be reached or cards are off.
    """
    if not cards_enabled():
        raise PaymentProviderError()
    ledger = ledger_for(application)
    amount = ledger.amount_for(kind) if kind in KINDS else 0
    if amount <= 0:
        raise InvalidTransition(_("Nothing of this kind is due now."))
    rotation = application.session.rotation
    page = settings.SITE_URL + reverse("rotations:application", args=[application.pk])
    metadata = {"application_id": str(application.pk), "kind": kind}
    dates = f"{application.session.start_date:%b %d, %Y}"
    label = _("Deposit") if kind == PaymentKind.DEPOSIT else _("Balance")
    try:
        session: Any = stripe.checkout.Session.create(
            api_key=settings.STRIPE_SECRET_KEY,
            mode="payment",
            client_reference_id=str(application.pk),
            customer_email=application.applicant.email,
            metadata=metadata,
            payment_intent_data={"metadata": metadata},
            line_items=[
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": CURRENCY,
                        "unit_amount": amount,
                        "product_data": {"name": f"{label}: {rotation.title} ({dates})"},
                    },
                }
            ],
            success_url=page + "?payment=done",
            cancel_url=page + "?payment=cancelled",
        )
    except stripe.StripeError as exc:
        raise PaymentProviderError() from exc
    audit_record(
        actor=actor,
        action="payment.checkout_started",
        target=application,
        data={"kind": kind, "amount_cents": amount, "checkout_session": session.id},
    )
    return str(session.url)
