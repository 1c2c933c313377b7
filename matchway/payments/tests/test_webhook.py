"""The Stripe webhook: signature, one payment per event, refusals (docs/dev/money.md)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from matchway.core.models import AuditEvent
from matchway.rotations.ledger import ledger_for
from matchway.rotations.models import Application, ApplicationStatus, Payment
from matchway.rotations.tests.factories import ApplicationFactory
from tests.stripe_standin import completed_event, sign

from .conftest import WEBHOOK_SECRET

URL = "/payments/stripe/webhook"
DEPOSIT = 50_000


@pytest.fixture
def application(db: None) -> Application:
    return ApplicationFactory(status=ApplicationStatus.ACCEPTED)


def event_for(application: Application, event_id: str = "evt_1", **changes: Any) -> dict[str, Any]:
    session = {
        "id": "cs_test_1",
        "client_reference_id": str(application.pk),
        "metadata": {"application_id": str(application.pk), "kind": "deposit"},
        "amount_total": DEPOSIT,
        "currency": "usd",
        "payment_intent": f"pi_{event_id}",
    }
    return completed_event(session, event_id, **changes)


def post(client: Client, event: dict[str, Any], secret: str = WEBHOOK_SECRET, **kw: Any) -> Any:
    payload = json.dumps(event).encode()
    signature = kw.pop("signature", None) or sign(payload, secret, **kw)
    return client.post(
        URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def test_records_the_deposit_once(
    stripe_keys: None, client: Client, application: Application
) -> None:
    event = event_for(application)
    for _ in range(3):
        response = post(client, event)
        assert response.status_code == 200, response.content
    payment = Payment.objects.get()
    assert (payment.amount_cents, payment.kind, payment.method, payment.provider) == (
        DEPOSIT,
        "deposit",
        "card",
        "stripe",
    )
    assert payment.provider_event_id == "evt_1" and payment.recorded_by is None
    assert ledger_for(application).deposit_paid
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 1


def test_a_second_event_for_the_same_payment_records_nothing(
    stripe_keys: None, client: Client, application: Application
) -> None:
    assert post(client, event_for(application, "evt_a")).status_code == 200
    duplicate = event_for(application, "evt_b", payment_intent="pi_evt_a")
    assert post(client, duplicate).status_code == 200
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "signature",
    ["", "t=1,v1=deadbeef", "garbage"],
)
def test_bad_signature_is_400(
    stripe_keys: None, client: Client, application: Application, signature: str
) -> None:
    payload = json.dumps(event_for(application)).encode()
    response = client.post(
        URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"
    assert not Payment.objects.exists()


def test_wrong_secret_and_old_timestamp_are_400(
    stripe_keys: None, client: Client, application: Application
) -> None:
    assert post(client, event_for(application), secret="whsec_other").status_code == 400
    stale = int(time.time()) - 3600
    assert post(client, event_for(application), timestamp=stale).status_code == 400
    assert not Payment.objects.exists()


def test_tampered_body_is_400(stripe_keys: None, client: Client, application: Application) -> None:
    payload = json.dumps(event_for(application)).encode()
    signature = sign(payload, WEBHOOK_SECRET)
    tampered = payload.replace(str(DEPOSIT).encode(), b"1")
    response = client.post(
        URL, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"amount_total": DEPOSIT - 1}, 422, "validation_error"),
        ({"amount_total": DEPOSIT + 1}, 422, "validation_error"),
        ({"client_reference_id": "999999"}, 400, "bad_reference"),
        ({"client_reference_id": "abc"}, 400, "bad_reference"),
        ({"currency": "eur"}, 400, "bad_kind"),
        ({"metadata": {"kind": "deposit", "application_id": "999999"}}, 400, "bad_reference"),
    ],
)
def test_mismatches_are_refused_and_audited(
    stripe_keys: None,
    client: Client,
    application: Application,
    changes: dict[str, Any],
    status: int,
    code: str,
) -> None:
    response = post(client, event_for(application, **changes))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Payment.objects.exists()
    refused = AuditEvent.objects.get(action="payment.refused")
    assert refused.data["event"] == "evt_1" and refused.data["reason"] == code


def test_closed_application_refused(
    stripe_keys: None, client: Client, application: Application
) -> None:
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.EXPIRED)
    assert post(client, event_for(application)).status_code == 409
    assert not Payment.objects.exists()


def test_other_events_and_unpaid_sessions_are_acknowledged(
    stripe_keys: None, client: Client, application: Application
) -> None:
    other = {**event_for(application), "type": "payment_intent.created"}
    assert post(client, other).status_code == 200
    unpaid = event_for(application, payment_status="unpaid")
    assert post(client, unpaid).json()["code"] == "ignored"
    assert not Payment.objects.exists()


def test_without_keys_the_webhook_is_off(
    settings: Any, client: Client, application: Application
) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert post(client, event_for(application)).status_code == 404


def test_only_post(stripe_keys: None, client: Client) -> None:
    assert client.get(URL).status_code == 405
