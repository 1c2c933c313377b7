"""The ledger where applicants see it: the dashboard's to-dos (what to pay next, how, by
when in their zone), the application page and the API's application output."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchway.accounts.models import User
from matchway.core import clock
from matchway.rotations.models import Application, ApplicationStatus, Refund
from matchway.rotations.services.payments import payment_record
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
    SiteFactory,
)

S = ApplicationStatus
NOW = dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.UTC)
PRICE, DEPOSIT = 360_000, 90_000

pytestmark = pytest.mark.django_db


def _application(
    applicant: User, status: str = S.CONFIRMED, start: dt.date | None = None
) -> Application:
    if start is None:  # 60 days from the one clock's today: the balance (due 30 days
        start = clock.provider_today() + dt.timedelta(days=60)  # before) is not overdue
    rotation = RotationFactory(
        title="Cardiology in Los Angeles",
        site=SiteFactory(timezone="America/Los_Angeles"),
        price_cents=PRICE,
        deposit_cents=DEPOSIT,
        balance_due_days=30,
    )
    session = RotationSessionFactory(
        rotation=rotation, start_date=start, end_date=start + dt.timedelta(days=27)
    )
    return ApplicationFactory(applicant=applicant, session=session, status=status)


def test_balance_todo_in_the_viewers_zone(
    kolkata_client: Client, kolkata_applicant: User, coordinator: User, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    application = _application(kolkata_applicant, start=dt.date(2027, 2, 1))
    payment_record(actor=coordinator, application=application, amount_cents=DEPOSIT, method="cash")
    response = kolkata_client.get(reverse("dashboard"))
    [todo] = [t for t in response.context["todos"] if t["kind"] == "balance"]
    assert todo["title"] == "Pay the balance for Cardiology in Los Angeles ($2,700)"
    assert "bank transfer" in todo["detail"]
    # Jan 2, 2027, end of the day in Los Angeles = Jan 3, 13:29 in Kolkata.
    assert "Sun 3 Jan 2027, 13:29 IST" in response.content.decode()


def test_held_seat_asks_for_the_deposit_only(
    applicant_client: Client, applicant: User, settings: Any
) -> None:
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_x", "whsec_x"
    application = _application(applicant, status=S.ACCEPTED)
    todos = applicant_client.get(reverse("dashboard")).context["todos"]
    [deposit] = [t for t in todos if t["kind"] in ("deposit", "balance")]
    assert (deposit["kind"], deposit["due_at"]) == ("deposit", application.hold_expires_at)
    assert deposit["action_label"] == "Pay now"


def test_fully_paid_asks_nothing(
    applicant_client: Client, applicant: User, coordinator: User
) -> None:
    application = _application(applicant)
    payment_record(actor=coordinator, application=application, amount_cents=PRICE, method="cash")
    todos = applicant_client.get(reverse("dashboard")).context["todos"]
    assert not [t for t in todos if t["kind"] in ("deposit", "balance")]


def test_application_page_shows_the_ledger(
    applicant_client: Client, applicant: User, coordinator: User
) -> None:
    application = _application(applicant)
    payment = payment_record(
        actor=coordinator, application=application, amount_cents=100_000, method="cash"
    )
    Refund.objects.create(application=application, payment=payment, amount_cents=10_000)
    html = applicant_client.get(reverse("rotations:application", args=[application.pk])).content
    page = html.decode()
    for text in ("$3,600", "$900", "$1,000", "$100", "$2,700", "Next: the balance"):
        assert text in page, text
    assert "Overdue" not in page


def test_overdue_balance_is_marked(
    applicant_client: Client, applicant: User, coordinator: User
) -> None:
    # Starts in 10 days: the balance was due 20 days ago.
    soon = clock.site_today(SiteFactory.build(timezone="America/Los_Angeles"))
    application = _application(applicant, start=soon + dt.timedelta(days=10))
    payment_record(actor=coordinator, application=application, amount_cents=DEPOSIT, method="cash")
    page = applicant_client.get(reverse("rotations:application", args=[application.pk]))
    assert "Overdue" in page.content.decode()


def test_api_application_output_has_the_ledger(
    applicant_client: Client, applicant: User, coordinator: User
) -> None:
    application = _application(applicant, start=dt.date(2027, 2, 1))
    payment_record(actor=coordinator, application=application, amount_cents=DEPOSIT, method="cash")
    [item] = applicant_client.get("/api/v1/me/applications").json()["items"]
    ledger = item["ledger"]
    assert {k: v for k, v in ledger.items() if k != "next_due"} == {
        "price_cents": PRICE,
        "deposit_cents": DEPOSIT,
        "paid_cents": DEPOSIT,
        "refunded_cents": 0,
        "due_cents": PRICE - DEPOSIT,
    }
    assert ledger["next_due"]["kind"] == "balance"
    assert ledger["next_due"]["amount_cents"] == PRICE - DEPOSIT
    assert ledger["next_due"]["due_at"].startswith("2027-01-0")


def test_api_list_query_count_does_not_grow(
    applicant_client: Client, applicant: User, coordinator: User
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert applicant_client.get("/api/v1/me/applications").status_code == 200
        return len(ctx.captured_queries)

    _application(applicant)
    one = count()
    for _ in range(3):
        payment_record(
            actor=coordinator,
            application=_application(applicant),
            amount_cents=DEPOSIT,
            method="cash",
        )
    assert count() == one


def test_coordinator_sees_the_ledger_and_overpayment_is_refused_in_the_form(
    coordinator_client: Client, applicant: User
) -> None:
    application = _application(applicant, status=S.ACCEPTED)
    page = reverse("rotations:review", args=[application.pk])
    html = coordinator_client.get(page).content.decode()
    assert "Paid $0 of $3,600; still due $3,600." in html
    assert 'value="900.00"' in html  # the form offers what is due next
    pay = reverse("rotations:review-payment", args=[application.pk])
    response = coordinator_client.post(pay, {"amount": "3600.01", "method": "cash"})
    assert response.status_code == 422
    assert "more than is still due ($3,600.00)" in response.content.decode()
    assert not application.payments.exists()
