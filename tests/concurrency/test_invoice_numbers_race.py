"""Receipt numbers under parallel payments: no gaps, no duplicates (issue #16).

Many coordinators record payments at the same instant, in real threads with their own
connections; every payment gets a receipt and the numbers are exactly 1..N. Runs on SQLite
and on PostgreSQL (`postgres` marker); on PostgreSQL the sequence row lock is what
serializes the writers (SQLite's IMMEDIATE transactions would serialize them anyway).
"""

from __future__ import annotations

from collections import Counter

import pytest

from matchway.accounts.models import Role, User
from matchway.rotations.models import Application, ApplicationStatus, Invoice, Payment
from matchway.rotations.services.payments import payment_record
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

from .helpers import applicants_bulk, run_in_waves

pytestmark = [pytest.mark.postgres]
PAYMENTS = 40


def test_parallel_payments_get_gapless_receipt_numbers(transactional_db: None) -> None:
    coordinator = User.objects.create_user(
        email="race-coordinator@example.com", password="x", role=Role.COORDINATOR
    )
    session = RotationSessionFactory(capacity=PAYMENTS)
    applications = [
        ApplicationFactory(applicant=user, session=session, status=ApplicationStatus.ACCEPTED)
        for user in applicants_bulk(PAYMENTS, prefix="payer")
    ]

    def pay(pk: int) -> str:
        payment = payment_record(
            actor=User.objects.get(pk=coordinator.pk),
            application=Application.objects.get(pk=pk),
            amount_cents=1_000,
            method="cash",
        )
        return Invoice.objects.get(payment=payment).number

    results = run_in_waves(pay, [a.pk for a in applications], max_threads=20)
    errors = Counter(type(r).__name__ for r in results if not isinstance(r, str))
    assert not errors, errors
    numbers = sorted(r for r in results if isinstance(r, str))
    assert len(set(numbers)) == PAYMENTS
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, PAYMENTS + 1))
    assert Payment.objects.count() == PAYMENTS


def test_parallel_refunds_never_exceed_what_was_paid(transactional_db: None) -> None:
    """Ten coordinators refund 30 % of one payment at the same instant: the application row
    lock lets three through and refuses the rest, so refunds never exceed what was paid."""
    from matchway.core.exceptions import ValidationFailed
    from matchway.rotations.models import Refund
    from matchway.rotations.services.refunds import refund_execute

    coordinator = User.objects.create_user(
        email="refund-coordinator@example.com", password="x", role=Role.COORDINATOR
    )
    application = ApplicationFactory(
        session=RotationSessionFactory(), status=ApplicationStatus.ACCEPTED
    )
    payment_record(actor=coordinator, application=application, amount_cents=10_000, method="cash")

    def refund(_index: int) -> str:
        try:
            refund_execute(
                actor=User.objects.get(pk=coordinator.pk),
                application=Application.objects.get(pk=application.pk),
                amount_cents=3_000,
                method="cash",
                reason="Race test refund",
            )
        except ValidationFailed:
            return "refused"
        return "refunded"

    results = run_in_waves(refund, list(range(10)), max_threads=10)
    assert Counter(results) == Counter({"refunded": 3, "refused": 7}), results
    assert sum(Refund.objects.values_list("amount_cents", flat=True)) == 9_000
