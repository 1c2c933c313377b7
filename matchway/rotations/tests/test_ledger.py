"""The ledger: derived from Payment and Refund rows, integer cents (docs/dev/money.md)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from matchway.accounts.models import User
from matchway.core.exceptions import InvalidTransition, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.rotations.ledger import ledger_for, with_ledger
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Payment,
    PaymentKind,
    PaymentProvider,
    Refund,
)
from matchway.rotations.services.payments import payment_record
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
    SiteFactory,
)

S = ApplicationStatus
PRICE, DEPOSIT = 360_000, 90_000


@pytest.fixture
def application(db: None) -> Application:
    site = SiteFactory(timezone="America/Los_Angeles")
    rotation = RotationFactory(
        site=site, price_cents=PRICE, deposit_cents=DEPOSIT, balance_due_days=30
    )
    session = RotationSessionFactory(
        rotation=rotation, start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 28)
    )
    return ApplicationFactory(session=session, status=S.ACCEPTED)


def _pay(coordinator: User, application: Application, cents: int, **kw: object) -> Payment:
    return payment_record(
        actor=coordinator,
        application=application,
        amount_cents=cents,
        method=str(kw.pop("method", "bank_transfer")),
        **kw,  # type: ignore[arg-type]
    )


def test_nothing_paid(application: Application) -> None:
    ledger = ledger_for(application)
    assert (ledger.price_cents, ledger.deposit_cents, ledger.balance_cents) == (
        PRICE,
        DEPOSIT,
        PRICE - DEPOSIT,
    )
    assert (ledger.paid_cents, ledger.refunded_cents, ledger.due_cents) == (0, 0, PRICE)
    due = ledger.next_due
    assert due is not None
    assert (due.kind, due.amount_cents, due.due_at) == (
        "deposit",
        DEPOSIT,
        application.hold_expires_at,
    )


def test_balance_due_date_is_the_sites_day(application: Application) -> None:
    # 30 days before March 1 is January 30, to the end of that day in Los Angeles.
    ledger = ledger_for(application)
    local = ledger.balance_due_at.astimezone(dt.timezone(dt.timedelta(hours=-8)))
    assert (local.date(), local.hour, local.minute) == (dt.date(2027, 1, 30), 23, 59)


def test_partial_payments_then_balance(coordinator: User, application: Application) -> None:
    _pay(coordinator, application, 40_000)
    ledger = ledger_for(application)
    assert (ledger.deposit_left_cents, ledger.next_due and ledger.next_due.amount_cents) == (
        50_000,
        50_000,
    )
    assert not ledger.deposit_paid
    second = _pay(coordinator, application, 50_000)
    assert second.kind == PaymentKind.DEPOSIT
    ledger = ledger_for(application)
    assert ledger.deposit_paid
    due = ledger.next_due
    assert due is not None and (due.kind, due.amount_cents) == ("balance", PRICE - DEPOSIT)
    assert due.due_at == ledger.balance_due_at
    _pay(coordinator, application, PRICE - DEPOSIT)
    ledger = ledger_for(application)
    assert (ledger.due_cents, ledger.next_due) == (0, None)


def test_a_payment_across_deposit_and_balance(coordinator: User, application: Application) -> None:
    _pay(coordinator, application, 100_000)
    ledger = ledger_for(application)
    assert (ledger.deposit_left_cents, ledger.balance_left_cents) == (0, PRICE - 100_000)


def test_overpayment_refused(coordinator: User, application: Application) -> None:
    _pay(coordinator, application, PRICE - 1)
    with pytest.raises(ValidationFailed) as excinfo:
        _pay(coordinator, application, 2)
    assert "amount_cents" in excinfo.value.errors
    assert Payment.objects.filter(application=application).count() == 1
    _pay(coordinator, application, 1)  # exactly what is left is fine
    assert ledger_for(application).due_cents == 0


def test_refunds_count_against_paid(coordinator: User, application: Application) -> None:
    payment = _pay(coordinator, application, DEPOSIT)
    Refund.objects.create(application=application, payment=payment, amount_cents=30_000)
    ledger = ledger_for(application)
    assert (ledger.paid_cents, ledger.refunded_cents, ledger.net_paid_cents) == (
        DEPOSIT,
        30_000,
        60_000,
    )
    assert ledger.deposit_left_cents == 30_000
    assert ledger.due_cents == PRICE - 60_000


def test_waiver_waives_the_deposit_not_the_price(
    coordinator: User, application: Application
) -> None:
    _pay(coordinator, application, 0, method="waiver")
    ledger = ledger_for(application)
    assert ledger.deposit_paid
    assert ledger.next_due is not None and ledger.next_due.amount_cents == PRICE


@pytest.mark.parametrize("status", [S.SUBMITTED, S.WAITLISTED, S.WITHDRAWN, S.EXPIRED])
def test_nothing_asked_before_a_seat_is_held_or_after_a_close(
    status: str, application: Application
) -> None:
    application.status = status
    assert ledger_for(application).next_due is None


def test_overdue(application: Application) -> None:
    due = ledger_for(application).next_due
    assert due is not None and not due.overdue()
    with time_machine.travel(application.hold_expires_at + dt.timedelta(seconds=1)):  # type: ignore[operator]
        assert due.overdue()


def test_annotated_ledger_equals_the_row_ledger(
    coordinator: User, application: Application, django_assert_num_queries: object
) -> None:
    payment = _pay(coordinator, application, 70_000)
    Refund.objects.create(application=application, payment=payment, amount_cents=5_000)
    other = ApplicationFactory(session=application.session, status=S.CONFIRMED)
    _pay(coordinator, other, PRICE)
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = list(
            with_ledger(Application.objects.select_related("session__rotation__site")).order_by(
                "pk"
            )
        )
        annotated = [ledger_for(a) for a in rows]
    assert annotated == [ledger_for(Application.objects.get(pk=a.pk)) for a in rows]


def test_provider_payment_must_match_what_is_due(application: Application) -> None:
    common = {
        "actor": None,
        "application": application,
        "method": "card",
        "provider": PaymentProvider.STRIPE,
    }
    with pytest.raises(ValidationFailed):
        payment_record(
            amount_cents=DEPOSIT - 1, kind="deposit", provider_event_id="evt_1", **common
        )  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        payment_record(
            amount_cents=PRICE - DEPOSIT, kind="balance", provider_event_id="evt_2", **common
        )  # type: ignore[arg-type]
    first = payment_record(
        amount_cents=DEPOSIT, kind="deposit", provider_event_id="evt_3", **common
    )  # type: ignore[arg-type]
    again = payment_record(
        amount_cents=DEPOSIT, kind="deposit", provider_event_id="evt_3", **common
    )  # type: ignore[arg-type]
    assert first.pk == again.pk
    assert Payment.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 1
    assert first.recorded_by is None and first.provider == "stripe"


def test_provider_payment_on_closed_application_refused(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(status=S.EXPIRED)
    with pytest.raises(InvalidTransition):
        payment_record(
            actor=None,
            application=application,
            amount_cents=DEPOSIT,
            method="card",
            kind="deposit",
            provider=PaymentProvider.STRIPE,
            provider_event_id="evt_9",
        )
