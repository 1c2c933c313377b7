"""Pay buttons open a Stripe Checkout Session (against the local stand-in) for exactly what
is due; without keys the application page shows the bank-transfer instructions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from matchway.accounts.models import User
from matchway.core.models import AuditEvent
from matchway.organization.selectors import organization_current, organization_forget
from matchway.rotations.models import Application, ApplicationStatus, Payment
from matchway.rotations.services.payments import payment_record
from matchway.rotations.tests.factories import ApplicationFactory
from tests.stripe_standin import StripeStandin


@pytest.fixture
def application(applicant: User) -> Application:
    return ApplicationFactory(applicant=applicant, status=ApplicationStatus.ACCEPTED)


def _pay_url(application: Application, kind: str) -> str:
    return f"/payments/applications/{application.pk}/pay/{kind}/"


def test_pay_deposit_creates_a_session_for_exactly_the_deposit(
    standin: StripeStandin, applicant_client: Client, application: Application
) -> None:
    response = applicant_client.post(_pay_url(application, "deposit"))
    assert response.status_code == 302
    assert response["Location"].startswith(standin.base_url + "/pay/cs_test_")
    (sent,) = standin.requests
    data = sent["data"]
    assert sent["auth"] == "Bearer sk_test_standin"
    assert data["mode"] == "payment"
    assert data["client_reference_id"] == str(application.pk)
    assert data["metadata"] == {"application_id": str(application.pk), "kind": "deposit"}
    item = data["line_items"][0]
    assert (item["quantity"], item["price_data"]["unit_amount"]) == ("1", "50000")
    assert item["price_data"]["currency"] == "usd"
    assert data["success_url"].endswith(f"/rotations/applications/{application.pk}/?payment=done")
    assert AuditEvent.objects.filter(action="payment.checkout_started").count() == 1


def test_pay_balance_after_the_deposit(
    standin: StripeStandin,
    applicant_client: Client,
    application: Application,
    coordinator: User,
) -> None:
    payment_record(
        actor=coordinator, application=application, amount_cents=50_000, method="bank_transfer"
    )
    # The deposit is settled: nothing of that kind is due, no session is opened.
    response = applicant_client.post(_pay_url(application, "deposit"), follow=True)
    assert b"Nothing of this kind is due now." in response.content
    assert standin.requests == []
    applicant_client.post(_pay_url(application, "balance"))
    assert standin.requests[0]["data"]["line_items"][0]["price_data"]["unit_amount"] == "100000"


def test_the_whole_card_flow_records_the_payment(
    standin: StripeStandin, applicant_client: Client, application: Application, live_server: Any
) -> None:
    standin.webhook_url = live_server.url + "/payments/stripe/webhook"
    applicant_client.post(_pay_url(application, "deposit"))
    standin.deliver(next(iter(standin.sessions.values())))
    assert standin.deliveries == [200]
    assert Payment.objects.get().amount_cents == 50_000


@pytest.mark.parametrize("who", ["outsider_client", "coordinator_client", "anonymous"])
def test_others_cannot_pay_for_an_application(
    who: str, request: pytest.FixtureRequest, standin: StripeStandin, application: Application
) -> None:
    response = request.getfixturevalue(who).post(_pay_url(application, "deposit"))
    assert response.status_code in (302, 403, 404)
    assert standin.requests == []


def test_stripe_unreachable_is_a_helpful_message(
    stripe_keys: None, applicant_client: Client, application: Application
) -> None:
    import stripe

    previous = stripe.api_base
    stripe.api_base = "http://127.0.0.1:9"  # nothing listens there
    try:
        response = applicant_client.post(_pay_url(application, "deposit"), follow=True)
    finally:
        stripe.api_base = previous
    assert response.status_code == 200
    assert b"could not be opened" in response.content


def test_without_keys_the_page_shows_bank_transfer_instructions(
    applicant_client: Client, application: Application
) -> None:
    organization = organization_current()
    organization.bank_transfer_instructions = "Pay to account 12-345, reference your name."
    organization.save()
    organization_forget()
    page = applicant_client.get(f"/rotations/applications/{application.pk}/").content.decode()
    assert "Pay to account 12-345" in page
    assert "/pay/deposit/" not in page
    assert applicant_client.post(_pay_url(application, "deposit")).status_code == 302


def test_with_keys_the_page_shows_the_pay_button(
    stripe_keys: None, applicant_client: Client, application: Application
) -> None:
    page = applicant_client.get(f"/rotations/applications/{application.pk}/").content.decode()
    assert f"/payments/applications/{application.pk}/pay/deposit/" in page
