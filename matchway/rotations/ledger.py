"""What an application owes, derived from its Payment and Refund rows (docs/dev/money.md).

Nothing here is stored: every figure is recomputed from the rows, so it cannot drift from
them. Integer cents, one currency (USD). Net money received (paid − refunded) goes to the
deposit first, then to the balance. A `waiver` payment waives the deposit as a condition of
confirmation; the price is still owed by the balance date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from matchway.core import clock

from .models import Application, ApplicationStatus, Payment, PaymentKind, PaymentMethod, Refund

S = ApplicationStatus
# A seat is held or booked: the applicant is asked for money (before acceptance nothing is due
# yet; after a close nothing more is asked).
OWING_STATUSES = frozenset({S.ACCEPTED, S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED})


@dataclass(frozen=True)
class Due:
    """The next amount to pay: `kind` deposit|balance, by `due_at` (None: now)."""

    kind: str
    amount_cents: int
    due_at: dt.datetime | None

    def overdue(self, at: dt.datetime | None = None) -> bool:
        return self.due_at is not None and self.due_at < (at or clock.now())


@dataclass(frozen=True)
class Ledger:
    price_cents: int
    deposit_cents: int
    paid_cents: int
    refunded_cents: int
    waived: bool
    status: str
    deposit_due_at: dt.datetime | None  # the hold's end while the seat is held
    balance_due_at: dt.datetime  # end of the site's day `start - balance_due_days`

    @property
    def balance_cents(self) -> int:
        return self.price_cents - self.deposit_cents

    @property
    def net_paid_cents(self) -> int:
        return self.paid_cents - self.refunded_cents

    @property
    def due_cents(self) -> int:
        """Everything still owed (the most any new payment may be)."""
        return max(0, self.price_cents - self.net_paid_cents)

    @property
    def deposit_left_cents(self) -> int:
        if self.waived:
            return 0
        return min(self.due_cents, max(0, self.deposit_cents - self.net_paid_cents))

    @property
    def balance_left_cents(self) -> int:
        return self.due_cents - self.deposit_left_cents

    @property
    def deposit_paid(self) -> bool:
        return self.deposit_left_cents == 0

    @property
    def owing(self) -> bool:
        return self.status in OWING_STATUSES and self.due_cents > 0

    @property
    def next_due(self) -> Due | None:
        """What to pay next, or None (nothing owed now)."""
        if not self.owing:
            return None
        if self.deposit_left_cents:
            return Due(PaymentKind.DEPOSIT, self.deposit_left_cents, self.deposit_due_at)
        return Due(PaymentKind.BALANCE, self.balance_left_cents, self.balance_due_at)

    def amount_for(self, kind: str) -> int:
        """The exact amount a payment of `kind` settles now (0: nothing of that kind due)."""
        due = self.next_due
        return due.amount_cents if due is not None and due.kind == kind else 0

    def as_dict(self) -> dict[str, Any]:
        """The API shape (DESIGN.md "Money")."""
        due = self.next_due
        return {
            "price_cents": self.price_cents,
            "deposit_cents": self.deposit_cents,
            "paid_cents": self.paid_cents,
            "refunded_cents": self.refunded_cents,
            "due_cents": self.due_cents,
            "next_due": None
            if due is None
            else {"kind": due.kind, "amount_cents": due.amount_cents, "due_at": due.due_at},
        }


def cards_enabled() -> bool:
    """Card payments (Stripe, `matchway.payments`) need the secret key and webhook secret;
    without them the pay buttons show the organization's bank-transfer instructions."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def balance_due_at(application: Application) -> dt.datetime:
    """The end of the site's day `balance_due_days` before the session starts."""
    session = application.session
    rotation = session.rotation
    day = session.start_date - dt.timedelta(days=rotation.balance_due_days)
    return clock.end_of_day(day, rotation.site.timezone)


def ledger_sums(application: Application) -> tuple[int, int, bool]:
    """(paid, refunded, waived): from `with_ledger` annotations, prefetched rows, or 2 queries.

    The one way Matchway adds up an application's money (the ledger and the confirmation
    rule both read it)."""
    if hasattr(application, "ledger_paid"):
        annotated: Any = application
        return annotated.ledger_paid, annotated.ledger_refunded, annotated.ledger_waived
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "payments" in cache:
        payments = list(application.payments.all())
        paid = sum(p.amount_cents for p in payments)
        waived = any(p.method == PaymentMethod.WAIVER for p in payments)
    else:
        paid, waived = 0, False
        for amount, method in application.payments.values_list("amount_cents", "method"):
            paid += amount
            waived = waived or method == PaymentMethod.WAIVER
    if "refunds" in cache:
        refunded = sum(r.amount_cents for r in application.refunds.all())
    else:
        refunded = application.refunds.aggregate(s=Sum("amount_cents"))["s"] or 0
    return paid, refunded, waived


def paid_and_refunded(application_id: int) -> tuple[int, int]:
    """Cents paid and refunded for one application, read fresh from its rows (callers that
    hold the application's lock use this for receipts, invoices and refund limits)."""
    paid = Payment.objects.filter(application_id=application_id).aggregate(s=Sum("amount_cents"))
    refunded = Refund.objects.filter(application_id=application_id).aggregate(s=Sum("amount_cents"))
    return int(paid["s"] or 0), int(refunded["s"] or 0)


def ledger_for(application: Application) -> Ledger:
    """The ledger of one application (needs `session__rotation__site` loaded to avoid queries)."""
    paid, refunded, waived = ledger_sums(application)
    rotation = application.session.rotation
    return Ledger(
        price_cents=rotation.price_cents,
        deposit_cents=rotation.deposit_cents,
        paid_cents=paid,
        refunded_cents=refunded,
        waived=waived,
        status=application.status,
        # After confirmation (an audited override), what is left of the deposit is due with
        # the balance.
        deposit_due_at=application.hold_expires_at
        if application.status == S.ACCEPTED
        else balance_due_at(application),
        balance_due_at=balance_due_at(application),
    )


def _total(model: type[Payment] | type[Refund]) -> Coalesce:
    rows = (
        model.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(s=Sum("amount_cents"))
        .values("s")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_ledger(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate what `ledger_for` needs, so a list computes every ledger in its one query."""
    return qs.annotate(
        ledger_paid=_total(Payment),
        ledger_refunded=_total(Refund),
        ledger_waived=Exists(
            Payment.objects.filter(application=OuterRef("pk"), method=PaymentMethod.WAIVER)
        ),
    )
