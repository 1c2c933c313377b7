"""The same Stripe event delivered 5 times at once records one payment (docs/dev/money.md).

Real threads, each with its own PostgreSQL connection, post the same signed event to the
webhook together. The application row lock in `payment_record` serializes them; the unique
`provider_event_id` is the backstop. A second race: different events for the same deposit
(two Checkout pages paid) record only the first, and the ledger never exceeds the price.
Negative control: with the lock patched out and both deliveries made to read the ledger
before either writes, two events DO record the deposit twice (so the lock is what prevents
it), while the same event twice still records once (the unique id alone is the backstop).
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.test import Client

from matchway.core.models import AuditEvent
from matchway.rotations.models import Application, ApplicationStatus, Payment
from matchway.rotations.tests.factories import ApplicationFactory
from tests.stripe_standin import completed_event, sign

from .helpers import run_in_waves

SECRET = "whsec_race_test"
URL = "/payments/stripe/webhook"

pytestmark = [pytest.mark.pg_only]


@pytest.fixture
def application(transactional_db: None, settings: Any) -> Application:
    settings.STRIPE_SECRET_KEY = "sk_test_race"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return ApplicationFactory(status=ApplicationStatus.ACCEPTED)


def _event(application: Application, event_id: str) -> bytes:
    session = {
        "id": f"cs_{event_id}",
        "client_reference_id": str(application.pk),
        "metadata": {"application_id": str(application.pk), "kind": "deposit"},
        "amount_total": application.session.rotation.deposit_cents,
        "currency": "usd",
        "payment_intent": f"pi_{event_id}",
    }
    return json.dumps(completed_event(session, event_id)).encode()


def _deliver(payload: bytes) -> int:
    response = Client().post(
        URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, SECRET),
    )
    return int(response.status_code)


def test_same_event_five_times_at_once_records_one_payment(application: Application) -> None:
    payload = _event(application, "evt_race")
    results = run_in_waves(_deliver, [payload] * 5)
    assert results == [200] * 5
    assert Payment.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 1


def test_two_events_for_one_deposit_record_it_once(application: Application) -> None:
    payloads = [_event(application, f"evt_{i}") for i in range(5)]
    results = run_in_waves(_deliver, payloads)
    assert sorted(results) == [200] + [422] * 4
    assert Payment.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="payment.refused").count() == 4


# --- Negative control: without the application lock the race is real ---------------------
# Two deliveries both read the ledger before either writes (a barrier right after the ledger
# read makes that certain, not lucky). With the lock in place the second delivery could not
# reach the barrier while the first holds the row, so the control patches the lock out.


def _unlocked_and_interleaved(monkeypatch: pytest.MonkeyPatch, parties: int) -> None:
    from matchway.rotations.services import payments as service

    def no_lock(model: type[Application], pks: list[int]) -> dict[int, Application]:
        return {row.pk: row for row in model.objects.filter(pk__in=pks)}

    both_read = threading.Barrier(parties)
    real_ledger_for = service.ledger_for

    def ledger_then_wait(application: Application) -> Any:
        ledger = real_ledger_for(application)
        both_read.wait(timeout=30)
        return ledger

    monkeypatch.setattr(service, "lock_for_update", no_lock)
    monkeypatch.setattr(service, "ledger_for", ledger_then_wait)


def test_without_the_lock_two_events_record_the_deposit_twice(
    application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unlocked_and_interleaved(monkeypatch, parties=2)
    results = run_in_waves(_deliver, [_event(application, f"evt_nolock_{i}") for i in range(2)])
    assert results == [200, 200]
    # The duplicate the lock prevents in test_two_events_for_one_deposit_record_it_once.
    assert Payment.objects.filter(application=application).count() == 2


def test_without_the_lock_the_unique_event_id_still_records_one(
    application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unlocked_and_interleaved(monkeypatch, parties=2)
    payload = _event(application, "evt_nolock_same")
    assert run_in_waves(_deliver, [payload] * 2) == [200, 200]
    # The backstop alone: the second insert hits the unique id and answers as a replay.
    assert Payment.objects.filter(application=application).count() == 1
