"""Refunds: the quote an applicant sees before withdrawing, and the refund a coordinator
executes (docs/dev/invoices-and-refunds.md).

- `refund_quote(application)` — what the policy gives back today (the site's date), from
  `rotations.refunds` (pure), the rotation's rules and what was paid. A session cancelled by
  the provider gives back everything paid.
- `refund_execute(...)` — coordinator only. Under the application's row lock: never more than
  paid minus already refunded (ValidationFailed); above the policy's quote only with a reason
  (PHI-guarded, audited as `refund.over_policy`). Money paid by card through a provider goes
  back through that provider's refunder (`PROVIDER_REFUNDERS`, tests replace it); the rest is
  recorded as a refund made by hand (method and reference).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import ValidationFailed
from matchway.core.locking import lock_for_update

from ..ledger import paid_and_refunded
from ..models import (
    Application,
    ApplicationStatus,
    Payment,
    PaymentMethod,
    PaymentProvider,
    Refund,
    Rotation,
    SessionStatus,
)
from ..refunds import RefundQuote, RefundRulesError, quote_refund, validate_rules
from .applications import refuse_phi, require_coordinator

MSG_AMOUNT = _("Enter an amount greater than zero.")
MSG_TOO_MUCH = _("That is more than was paid and not yet refunded (%(left)s).")
MSG_REASON = _("Say why this refund is more than the policy gives (%(quote)s).")
MSG_METHOD = _("Choose how the money was given back.")
MSG_REFERENCE = _("Keep the reference under 200 characters.")
MSG_PROVIDER = _("The payment provider refused the refund (%(error)s). Nothing was recorded.")
MSG_NOT_CONFIGURED = _("Card refunds need the Stripe key; record this refund by hand instead.")


def _stripe_refund(payment: Payment, amount_cents: int, key: str) -> str:
    """Give `amount_cents` of a Stripe payment back; returns Stripe's refund id."""
    secret = getattr(settings, "STRIPE_SECRET_KEY", "")
    if not secret:
        raise ValidationFailed(MSG_NOT_CONFIGURED)
    import stripe

    refund = stripe.Refund.create(
        api_key=secret,
        payment_intent=payment.provider_payment_id or "",
        amount=amount_cents,
        idempotency_key=key,
    )
    return str(refund["id"])


# provider → refunder(payment, amount_cents, idempotency_key) → provider refund id.
PROVIDER_REFUNDERS: Final[dict[str, Callable[[Payment, int, str], str]]] = {
    PaymentProvider.STRIPE: _stripe_refund,
}


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def provider_cancelled(application: Application) -> bool:
    return (
        application.status == ApplicationStatus.CANCELLED
        and application.session.status == SessionStatus.CANCELLED
    )


def refund_quote(application: Application, *, at: dt.datetime | None = None) -> RefundQuote:
    """The refund the policy gives if the applicant withdraws at `at` (default now), counted
    on the site's calendar."""
    session = application.session
    rotation = session.rotation
    paid, refunded = paid_and_refunded(application.pk)
    return quote_refund(
        rotation.refund_rules,
        start_date=session.start_date,
        on_date=clock.today_in(rotation.site.timezone, at=at),
        deposit_cents=rotation.deposit_cents,
        paid_cents=paid,
        refunded_cents=refunded,
        provider_cancelled=provider_cancelled(application),
    )


def _withdrawal_quote(application: Application) -> RefundQuote:
    """The quote as of the day the application was closed (withdrawn or cancelled), or
    today for a live one: a refund executed a week later still follows the withdrawal day."""
    closed = application.status in {ApplicationStatus.WITHDRAWN, ApplicationStatus.CANCELLED}
    return refund_quote(application, at=application.closed_at if closed else None)


def _provider_parts(application_id: int, amount: int) -> list[tuple[Payment, int]]:
    """Split `amount` over the application's provider payments, newest first, by what is
    left refundable on each. Whatever remains is refunded by hand."""
    parts: list[tuple[Payment, int]] = []
    payments = Payment.objects.filter(
        application_id=application_id, provider__in=list(PROVIDER_REFUNDERS)
    ).order_by("-recorded_at", "-pk")
    for payment in payments:
        if amount <= 0:
            break
        done = Refund.objects.filter(payment=payment).aggregate(s=Sum("amount_cents"))["s"] or 0
        part = min(amount, payment.amount_cents - int(done))
        if part > 0:
            parts.append((payment, part))
            amount -= part
    return parts


def refund_execute(
    *,
    actor: User,
    application: Application,
    amount_cents: int,
    reason: str = "",
    method: str = "",
    reference: str = "",
) -> list[Refund]:
    """Give `amount_cents` back for `application` (coordinator). Returns the Refund rows (one
    per provider payment used, plus one recorded by hand for any remainder). Audited."""
    actor = require_coordinator(actor)
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise ValidationFailed(MSG_AMOUNT, errors={"amount_cents": [str(MSG_AMOUNT)]})
    reason = (reason or "").strip()[:2000]
    reference = (reference or "").strip()
    if len(reference) > 200:
        raise ValidationFailed(MSG_REFERENCE, errors={"reference": [str(MSG_REFERENCE)]})
    if reason:
        refuse_phi("reason", reason, people=[application.applicant, actor])
    with transaction.atomic():
        # The application row is the refund lock: two coordinators refunding at once run one
        # after the other, and the second sees the first's refund in the sums.
        fresh = lock_for_update(Application, [application.pk])[application.pk]
        fresh = Application.objects.select_related("session__rotation__site").get(pk=fresh.pk)
        paid, refunded = paid_and_refunded(fresh.pk)
        left = paid - refunded
        if amount_cents > left:
            text = MSG_TOO_MUCH % {"left": _money(max(0, left))}
            raise ValidationFailed(text, errors={"amount_cents": [str(text)]})
        quote = _withdrawal_quote(fresh)
        over = amount_cents > quote.refund_cents
        if over and not reason:
            text = MSG_REASON % {"quote": _money(quote.refund_cents)}
            raise ValidationFailed(text, errors={"reason": [str(text)]})
        now = clock.now()
        parts = _provider_parts(fresh.pk, amount_cents)
        by_hand = amount_cents - sum(part for _p, part in parts)
        if by_hand and method not in PaymentMethod.values:
            raise ValidationFailed(MSG_METHOD, errors={"method": [str(MSG_METHOD)]})
        rows: list[Refund] = []
        for payment, part in parts:
            count = Refund.objects.filter(payment=payment).count()
            key = f"matchway-refund-{payment.pk}-{count + 1}-{part}"
            try:
                provider_id = PROVIDER_REFUNDERS[payment.provider](payment, part, key)
            except ValidationFailed:
                raise
            except Exception as exc:  # the provider's own error: say it, record nothing
                text = MSG_PROVIDER % {"error": type(exc).__name__}
                raise ValidationFailed(text) from exc
            rows.append(
                Refund.objects.create(
                    application=fresh,
                    payment=payment,
                    amount_cents=part,
                    reason=reason,
                    rule=quote.rule,
                    over_policy=over,
                    provider=payment.provider,
                    provider_refund_id=provider_id,
                    method=payment.method,
                    reference=reference,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        if by_hand:
            rows.append(
                Refund.objects.create(
                    application=fresh,
                    amount_cents=by_hand,
                    reason=reason,
                    rule=quote.rule,
                    over_policy=over,
                    provider=PaymentProvider.MANUAL,
                    method=method,
                    reference=reference,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        data = {
            "amount_cents": amount_cents,
            "quote_cents": quote.refund_cents,
            "rule": quote.rule,
            "refunds": [r.pk for r in rows],
            "providers": sorted({r.provider for r in rows}),
        }
        audit_record(actor=actor, action="refund.recorded", target=fresh, data=data)
        if over:
            audit_record(
                actor=actor,
                action="refund.over_policy",
                target=fresh,
                data={**data, "reason": reason},
            )
    return rows


def rotation_refund_rules_update(
    *, actor: User, rotation: Rotation, rules: dict[str, Any]
) -> Rotation:
    """Save a rotation's refund schedule (coordinator; validated again here). Audited with
    the old and new rules. Refunds already recorded keep the rule they were computed from."""
    actor = require_coordinator(actor)
    try:
        clean = validate_rules(rules)
    except RefundRulesError as exc:
        raise ValidationFailed(
            " ".join(exc.messages), errors={"refund_rules": list(exc.messages)}
        ) from exc
    with transaction.atomic():
        fresh = lock_for_update(Rotation, [rotation.pk])[rotation.pk]
        old = fresh.refund_rules
        fresh.refund_rules = clean
        fresh.save(update_fields=["refund_rules", "updated_at"])
        audit_record(
            actor=actor,
            action="rotation.refund_rules_updated",
            target=fresh,
            data={"old": old, "new": clean},
        )
    rotation.refund_rules = clean
    return rotation
