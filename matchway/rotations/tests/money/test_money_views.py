"""Money pages: receipts and invoices (owner and coordinators only, others 404; downloads
audited), the withdrawal page's refund quote (page and API), coordinators' refunds, the
refund schedule form and the policy text generated from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import User
from matchway.core.models import AuditEvent
from matchway.rotations.models import Application, ApplicationStatus, Invoice, Refund, Rotation
from matchway.rotations.services.payments import payment_record
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

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
    )
    return ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.ACCEPTED
    )


@pytest.fixture
def users(applicant: User, coordinator: User, outsider: User, preceptor: User) -> dict[str, User]:
    return {
        "applicant": applicant,
        "coordinator": coordinator,
        "outsider": outsider,
        "preceptor": preceptor,
    }


@pytest.fixture
def receipt(coordinator: User, application: Application) -> Invoice:
    payment = payment_record(
        actor=coordinator,
        application=application,
        amount_cents=90_000,
        method="bank_transfer",
        reference="=HYPERLINK(evil)",
    )
    return Invoice.objects.get(payment=payment)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("applicant", 200),
        ("coordinator", 200),
        ("outsider", 404),
        ("preceptor", 404),
    ],
)
def test_receipt_visibility(
    persona_clients: dict[str, Client], receipt: Invoice, persona: str, status: int
) -> None:
    client = persona_clients[persona]
    page = client.get(reverse("rotations:invoice", args=[receipt.number]))
    assert page.status_code == status
    pdf = client.get(reverse("rotations:invoice-pdf", args=[receipt.number]))
    assert pdf.status_code == status
    if status == 200:
        assert receipt.number in page.content.decode()
        assert pdf.content.startswith(b"%PDF-")
        assert pdf["Content-Disposition"] == f'attachment; filename="{receipt.number}.pdf"'
        assert pdf["Cache-Control"] == "private, no-store"
        assert "sandbox" in pdf["Content-Security-Policy"]
    downloads = AuditEvent.objects.filter(action="invoice.downloaded").count()
    assert downloads == (1 if status == 200 else 0)


def test_anonymous_goes_to_login(anonymous: Client, receipt: Invoice) -> None:
    response = anonymous.get(reverse("rotations:invoice-pdf", args=[receipt.number]))
    assert response.status_code == 302


def test_receipt_page_states_the_facts(applicant_client: Client, receipt: Invoice) -> None:
    html = applicant_client.get(reverse("rotations:invoice", args=[receipt.number])).content
    text = html.decode()
    for fact in ("Bank transfer", "$900.00", "June 1, 2027", "$2,700.00", "=HYPERLINK(evil)"):
        assert fact in text, fact
    detail = applicant_client.get(reverse("rotations:application", args=[receipt.application_id]))
    assert receipt.number in detail.content.decode()


def test_withdraw_page_shows_the_quote(
    applicant_client: Client, receipt: Invoice, application: Application, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2027, 5, 10, 16, tzinfo=dt.UTC), tick=False)  # 22 days
    applicant_client.force_login(application.applicant)  # the old session expired meanwhile
    page = applicant_client.get(reverse("rotations:application-withdraw", args=[application.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="refund-quote">$450<' in text
    assert "Deposit: refunded in full until 30 days before the start date" in text


def test_api_quote(
    persona_clients: dict[str, Client],
    users: dict[str, User],
    receipt: Invoice,
    application: Application,
    time_machine: Any,
) -> None:
    time_machine.move_to(dt.datetime(2027, 4, 1, 16, tzinfo=dt.UTC), tick=False)
    for persona, user in users.items():
        persona_clients[persona].force_login(user)
    url = f"/api/v1/applications/{application.pk}/refund-quote"
    body = persona_clients["applicant"].get(url).json()
    assert body["refund_cents"] == 90_000
    assert body["rule"] == "deposit:30d:100"
    assert persona_clients["coordinator"].get(url).status_code == 200
    assert persona_clients["outsider"].get(url).status_code == 404
    assert persona_clients["preceptor"].get(url).status_code == 404


def test_coordinator_refund_over_policy_needs_a_reason(
    coordinator: User,
    coordinator_client: Client,
    receipt: Invoice,
    application: Application,
    time_machine: Any,
) -> None:
    time_machine.move_to(dt.datetime(2027, 5, 25, 16, tzinfo=dt.UTC), tick=False)  # policy 0
    coordinator_client.force_login(coordinator)
    url = reverse("rotations:review-refund", args=[application.pk])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert 'data-testid="policy-quote">$0<' in page.content.decode()
    refused = coordinator_client.post(url, {"amount": "100.00", "method": "cash"})
    assert refused.status_code == 422
    assert "more than the policy" in refused.content.decode()
    too_much = coordinator_client.post(
        url, {"amount": "901.00", "method": "cash", "reason": "Goodwill"}
    )
    assert too_much.status_code == 422
    done = coordinator_client.post(
        url, {"amount": "100.00", "method": "cash", "reason": "Goodwill"}
    )
    assert done.status_code == 302
    assert Refund.objects.get().over_policy


def test_refund_schedule_form(coordinator_client: Client, application: Application) -> None:
    rotation = application.session.rotation
    url = reverse("rotations:manage-rotation-refunds", args=[rotation.pk])
    page = coordinator_client.get(url)
    assert "30 days: 100%" in page.content.decode()
    bad = coordinator_client.post(
        url, {"deposit": "14 days: 50%\n30 days: 90 percent!", "balance": ""}
    )
    assert bad.status_code == 422
    assert "30 days: 90 percent!" in bad.content.decode()  # what was typed is kept
    growing = coordinator_client.post(url, {"deposit": "30: 50\n14: 100", "balance": ""})
    assert growing.status_code == 422
    saved = coordinator_client.post(url, {"deposit": "45 days: 100%\n10 days: 25%", "balance": ""})
    assert saved.status_code == 302
    rotation = Rotation.objects.get(pk=rotation.pk)
    assert rotation.refund_rules == {
        "deposit": [{"until_days": 45, "percent": 100}, {"until_days": 10, "percent": 25}]
    }
    assert AuditEvent.objects.filter(action="rotation.refund_rules_updated").exists()
    public = Client().get(rotation.get_absolute_url()).content.decode()
    assert "Deposit: refunded in full until 45 days before the start date, then 25 %" in public
    assert "Balance: not refundable after payment." in public
