"""Receipts and invoices issued by the payment and confirmation services; refunds executed by
coordinators (never more than paid, over the policy only with a reason, card refunds through
the provider registry). docs/dev/invoices-and-refunds.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from matchway.accounts.models import User
from matchway.core.exceptions import AccessDenied, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Invoice,
    Payment,
    PaymentProvider,
    Refund,
    SessionStatus,
)
from matchway.rotations.services import refunds as refunds_module
from matchway.rotations.services.applications_decide import application_confirm
from matchway.rotations.services.payments import payment_record
from matchway.rotations.services.refunds import refund_execute, refund_quote
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

S = ApplicationStatus
RULES = {
    "deposit": [{"until_days": 30, "percent": 100}, {"until_days": 14, "percent": 50}],
    "balance": [{"until_days": 14, "percent": 100}],
}


@pytest.fixture
def application(applicant: User) -> Application:
    session = RotationSessionFactory(
        start_date=dt.date(2027, 6, 1),
        end_date=dt.date(2027, 6, 28),
        rotation__refund_rules=RULES,
        rotation__price_cents=360_000,
        rotation__deposit_cents=90_000,
        rotation__site__timezone="America/Los_Angeles",
    )
    return ApplicationFactory(applicant=applicant, session=session, status=S.ACCEPTED)


def _pay(coordinator: User, application: Application, cents: int, method: str = "cash") -> Payment:
    return payment_record(
        actor=coordinator, application=application, amount_cents=cents, method=method
    )


def test_every_payment_gets_a_numbered_receipt(
    coordinator: User, application: Application, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 1, 15, tzinfo=dt.UTC), tick=False)
    first = _pay(coordinator, application, 90_000)
    second = _pay(coordinator, application, 20_000, "bank_transfer")
    numbers = list(Invoice.objects.order_by("sequence").values_list("number", flat=True))
    assert numbers == ["R-2027-000001", "R-2027-000002"]
    receipt = Invoice.objects.get(payment=second)
    assert receipt.amount_cents == 20_000
    assert receipt.data["payment"]["method"] == "Bank transfer"
    assert receipt.data["paid_to_date_cents"] == 110_000
    assert receipt.data["applicant"]["name"] == application.applicant.full_name
    assert receipt.data["rotation"]["start_date"] == "2027-06-01"
    assert Invoice.objects.get(payment=first).data["outstanding_cents"] == 270_000
    assert AuditEvent.objects.filter(action="invoice.issued").count() == 2


def test_year_starts_a_new_sequence(
    coordinator: User, application: Application, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC), tick=False)
    _pay(coordinator, application, 100)
    # 04:59 UTC on 1 Jan is still 31 Dec in New York (the provider's zone).
    time_machine.move_to(dt.datetime(2027, 1, 1, 4, 59, tzinfo=dt.UTC), tick=False)
    _pay(coordinator, application, 100)
    time_machine.move_to(dt.datetime(2027, 1, 1, 5, 1, tzinfo=dt.UTC), tick=False)
    _pay(coordinator, application, 100)
    assert list(Invoice.objects.values_list("number", flat=True)) == [
        "R-2026-000001",
        "R-2026-000002",
        "R-2027-000001",
    ]


def test_confirming_issues_the_final_invoice(coordinator: User, application: Application) -> None:
    _pay(coordinator, application, 90_000)
    application_confirm(actor=coordinator, application=application)
    invoice = Invoice.objects.get(application=application, kind="invoice")
    assert invoice.number.startswith("INV-")
    assert invoice.number.endswith("-000001")
    assert invoice.amount_cents == 360_000
    assert invoice.data["payments"][0]["amount_cents"] == 90_000
    assert invoice.data["outstanding_cents"] == 270_000


def test_failed_payment_takes_no_number(coordinator: User, application: Application) -> None:
    with pytest.raises(ValidationFailed):
        _pay(coordinator, application, -5)
    _pay(coordinator, application, 5)
    assert Invoice.objects.get().sequence == 1


# --- quotes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # 30 days before 1 June is 2 May, in Los Angeles (UTC-7 in May).
        (dt.datetime(2027, 5, 3, 6, 59, tzinfo=dt.UTC), 360_000),  # 2 May 23:59 in LA
        (dt.datetime(2027, 5, 3, 7, 0, tzinfo=dt.UTC), 45_000 + 270_000),  # 3 May 00:00
        (dt.datetime(2027, 5, 19, 6, 59, tzinfo=dt.UTC), 45_000 + 270_000),  # 18 May
        (dt.datetime(2027, 5, 19, 7, 0, tzinfo=dt.UTC), 0),  # 19 May: 13 days before
    ],
)
def test_quote_counts_days_on_the_site_calendar(
    coordinator: User, application: Application, time_machine: Any, utc: dt.datetime, expected: int
) -> None:
    _pay(coordinator, application, 360_000)
    time_machine.move_to(utc, tick=False)
    assert refund_quote(application).refund_cents == expected


def test_provider_cancelled_session_refunds_everything(
    coordinator: User, application: Application, time_machine: Any
) -> None:
    _pay(coordinator, application, 90_000)
    time_machine.move_to(dt.datetime(2027, 5, 30, 12, tzinfo=dt.UTC), tick=False)
    Application.objects.filter(pk=application.pk).update(status=S.CANCELLED)
    application.session.status = SessionStatus.CANCELLED
    application.session.save()
    application.refresh_from_db()
    quote = refund_quote(application)
    assert (quote.refund_cents, quote.rule) == (90_000, "provider_cancelled")


# --- executing refunds ---------------------------------------------------------------------


def test_refund_by_hand_within_policy(
    coordinator: User, application: Application, time_machine: Any
) -> None:
    _pay(coordinator, application, 90_000)
    time_machine.move_to(dt.datetime(2027, 5, 10, 12, tzinfo=dt.UTC), tick=False)
    rows = refund_execute(
        actor=coordinator,
        application=application,
        amount_cents=45_000,
        method="bank_transfer",
        reference="wire 42",
    )
    assert [(r.amount_cents, r.provider, r.method, r.over_policy) for r in rows] == [
        (45_000, "manual", "bank_transfer", False)
    ]
    assert AuditEvent.objects.filter(action="refund.recorded").count() == 1
    assert not AuditEvent.objects.filter(action="refund.over_policy").exists()


def test_never_more_than_paid(coordinator: User, application: Application) -> None:
    _pay(coordinator, application, 10_000)
    refund_execute(
        actor=coordinator, application=application, amount_cents=6_000, method="cash", reason="x"
    )
    with pytest.raises(ValidationFailed) as err:
        refund_execute(
            actor=coordinator,
            application=application,
            amount_cents=4_001,
            method="cash",
            reason="goodwill",
        )
    assert "$40.00" in str(err.value.message)
    assert Refund.objects.count() == 1


def test_over_policy_needs_a_reason_and_is_audited(
    coordinator: User, application: Application, time_machine: Any
) -> None:
    _pay(coordinator, application, 90_000)
    time_machine.move_to(dt.datetime(2027, 5, 25, 12, tzinfo=dt.UTC), tick=False)  # policy: 0
    with pytest.raises(ValidationFailed):
        refund_execute(actor=coordinator, application=application, amount_cents=1, method="cash")
    rows = refund_execute(
        actor=coordinator,
        application=application,
        amount_cents=90_000,
        method="cash",
        reason="Family emergency; goodwill refund",
    )
    assert rows[0].over_policy
    event = AuditEvent.objects.get(action="refund.over_policy")
    assert event.data["reason"] == "Family emergency; goodwill refund"
    assert event.data["quote_cents"] == 0


def test_only_coordinators_refund(applicant: User, application: Application) -> None:
    with pytest.raises(AccessDenied):
        refund_execute(actor=applicant, application=application, amount_cents=1, method="cash")


def test_card_payment_is_refunded_through_the_provider(
    coordinator: User, application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = _pay(coordinator, application, 90_000, "card")
    Payment.objects.filter(pk=card.pk).update(
        provider=PaymentProvider.STRIPE, provider_payment_id="pi_test_1"
    )
    _pay(coordinator, application, 10_000, "cash")
    calls: list[tuple[str, int, str]] = []

    def fake(payment: Payment, amount: int, key: str) -> str:
        calls.append((payment.provider_payment_id or "", amount, key))
        return f"re_{len(calls)}"

    monkeypatch.setitem(refunds_module.PROVIDER_REFUNDERS, "stripe", fake)
    rows = refund_execute(
        actor=coordinator,
        application=application,
        amount_cents=95_000,
        method="cash",
        reason="all of it, provider moved the dates",
    )
    assert calls == [("pi_test_1", 90_000, f"matchway-refund-{card.pk}-1-90000")]
    assert [(r.provider, r.amount_cents, r.provider_refund_id) for r in rows] == [
        ("stripe", 90_000, "re_1"),
        ("manual", 5_000, None),
    ]


def test_provider_failure_records_nothing(
    coordinator: User, application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = _pay(coordinator, application, 90_000, "card")
    Payment.objects.filter(pk=card.pk).update(provider=PaymentProvider.STRIPE)

    def broken(payment: Payment, amount: int, key: str) -> str:
        raise ConnectionError("down")

    monkeypatch.setitem(refunds_module.PROVIDER_REFUNDERS, "stripe", broken)
    with pytest.raises(ValidationFailed):
        refund_execute(
            actor=coordinator, application=application, amount_cents=10, reason="test refund"
        )
    assert not Refund.objects.exists()


def test_stripe_refunder_calls_the_library(
    settings: Any, monkeypatch: pytest.MonkeyPatch, coordinator: User, application: Application
) -> None:
    import stripe

    seen: dict[str, Any] = {}

    def create(**kwargs: Any) -> dict[str, str]:
        seen.update(kwargs)
        return {"id": "re_local"}

    monkeypatch.setattr(stripe.Refund, "create", create)
    settings.STRIPE_SECRET_KEY = "sk_test_local"
    payment = _pay(coordinator, application, 500, "card")
    payment.provider_payment_id = "pi_x"
    assert refunds_module._stripe_refund(payment, 500, "k1") == "re_local"
    assert seen == {
        "api_key": "sk_test_local",
        "payment_intent": "pi_x",
        "amount": 500,
        "idempotency_key": "k1",
    }
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(ValidationFailed):
        refunds_module._stripe_refund(payment, 500, "k2")
