"""Turning a verified Stripe event into a payment (through `payment_record`, the one path)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from matchway.core.audit import audit_record
from matchway.core.exceptions import ApplicationError
from matchway.rotations.models import Application, PaymentMethod, PaymentProvider
from matchway.rotations.services.payments import payment_record

from .stripe_gateway import CURRENCY, KINDS

logger = logging.getLogger("matchway.payments")
HANDLED = "checkout.session.completed"


@dataclass(frozen=True)
class Outcome:
    status: int
    code: str
    message: str


OK = Outcome(200, "ok", "recorded")


def _refuse(
    event: Any, status: int, code: str, message: str, application: Application | None = None
) -> Outcome:
    obj = event["data"]["object"]
    audit_record(
        actor=None,
        action="payment.refused",
        target=application,
        data={
            "provider": PaymentProvider.STRIPE,
            "event": event["id"],
            "reason": code,
            "amount_cents": obj.get("amount_total"),
            "reference": obj.get("client_reference_id"),
            "checkout_session": obj.get("id"),
        },
    )
    logger.warning("stripe event %s refused: %s", event["id"], code)
    return Outcome(status, code, message)


def stripe_event_record(event: Any) -> Outcome:
    """Record the payment a verified `checkout.session.completed` event reports, once.

    Other event types, and sessions not (yet) paid, are acknowledged and ignored. A reference
    that names no application, a currency other than USD, or an amount other than what is due
    now is refused (4xx) and audited as `payment.refused`. A replayed event records nothing new.
    """
    if event["type"] != HANDLED:
        return Outcome(200, "ignored", "event type not used")
    obj = event["data"]["object"]
    if obj.get("payment_status") != "paid":
        return Outcome(200, "ignored", "not paid yet")
    reference = str(obj.get("client_reference_id") or "")
    metadata = obj.get("metadata") or {}
    kind = str(metadata.get("kind") or "")
    if not reference.isdigit() or str(metadata.get("application_id")) != reference:
        return _refuse(event, 400, "bad_reference", "the reference names no application")
    application = (
        Application.objects.select_related("session__rotation__site")
        .filter(pk=int(reference))
        .first()
    )
    if application is None:
        return _refuse(event, 400, "bad_reference", "the reference names no application")
    amount = obj.get("amount_total")
    if kind not in KINDS or str(obj.get("currency", "")).lower() != CURRENCY:
        return _refuse(event, 400, "bad_kind", "kind or currency not accepted", application)
    if not isinstance(amount, int) or isinstance(amount, bool):
        return _refuse(event, 400, "bad_amount", "amount missing", application)
    try:
        payment_record(
            actor=None,
            application=application,
            amount_cents=amount,
            method=PaymentMethod.CARD,
            kind=kind,
            provider=PaymentProvider.STRIPE,
            provider_event_id=str(event["id"]),
            provider_payment_id=str(obj.get("payment_intent") or "") or None,
            reference=str(obj.get("id") or "")[:200],
        )
    except ApplicationError as exc:
        return _refuse(
            event, exc.status if exc.status < 500 else 409, exc.code, exc.message, application
        )
    return OK
