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
