from __future__ import annotations

import pytest

from matchway.accounts.models import User
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.rotations.models import ApplicationStatus, RotationSession
from matchway.rotations.services.payments import PAYABLE_STATUSES, payment_record
from matchway.rotations.tests.factories import ApplicationFactory

S = ApplicationStatus


def test_record_payment(coordinator: User, instant_session: RotationSession) -> None:
    application = ApplicationFactory(session=instant_session, status=S.ACCEPTED)
    payment = payment_record(
        actor=coordinator,
        application=application,
        amount_cents=50_000,
        method="bank_transfer",
        reference=" TX-1 ",
    )
    assert (payment.amount_cents, payment.method, payment.reference) == (
        50_000,
        "bank_transfer",
        "TX-1",
    )
    assert payment.recorded_by == coordinator
    event = AuditEvent.objects.get(action="payment.recorded")
    assert event.data["amount_cents"] == 50_000
    assert event.target_id == str(application.pk)


@pytest.mark.parametrize(
    ("amount", "method", "field"),
    [
        (0, "card", "amount_cents"),
        (-5, "cash", "amount_cents"),
        (10_000_001, "cash", "amount_cents"),
        (100, "bitcoin", "method"),
    ],
)
def test_invalid_payment(
    amount: int, method: str, field: str, coordinator: User, instant_session: RotationSession
) -> None:
    application = ApplicationFactory(session=instant_session, status=S.ACCEPTED)
    with pytest.raises(ValidationFailed) as excinfo:
        payment_record(
            actor=coordinator, application=application, amount_cents=amount, method=method
        )
    assert field in excinfo.value.errors


def test_zero_waiver_is_allowed(coordinator: User, instant_session: RotationSession) -> None:
    application = ApplicationFactory(session=instant_session, status=S.ACCEPTED)
    assert (
        payment_record(
            actor=coordinator, application=application, amount_cents=0, method="waiver"
        ).amount_cents
        == 0
    )


@pytest.mark.parametrize("status", [s for s in S.values if s not in PAYABLE_STATUSES])
def test_closed_application_takes_no_payment(
    status: str, coordinator: User, instant_session: RotationSession
) -> None:
    application = ApplicationFactory(session=instant_session, status=status)
    with pytest.raises(InvalidTransition):
        payment_record(actor=coordinator, application=application, amount_cents=100, method="cash")


@pytest.mark.parametrize("role", ["applicant", "preceptor", "outsider"])
def test_only_coordinators_record_payments(
    role: str, request: pytest.FixtureRequest, instant_session: RotationSession
) -> None:
    application = ApplicationFactory(session=instant_session, status=S.ACCEPTED)
    with pytest.raises(AccessDenied):
        payment_record(
            actor=request.getfixturevalue(role),
            application=application,
            amount_cents=100,
            method="cash",
        )
