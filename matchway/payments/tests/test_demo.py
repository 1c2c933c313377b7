from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from matchway.payments.demo import payment_states


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_demo_covers_every_payment_state() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    states = payment_states()
    assert all(states[name] >= 1 for name in states), states
    call_command("seed_demo", stdout=StringIO())
    assert payment_states() == states  # idempotent
    assert "payments:" in out.getvalue()
