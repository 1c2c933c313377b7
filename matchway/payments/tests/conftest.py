from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from tests.stripe_standin import StripeStandin

WEBHOOK_SECRET = "whsec_test_matchway_only"


@pytest.fixture
def stripe_keys(settings: Any) -> None:
    settings.STRIPE_SECRET_KEY = "sk_test_standin"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def standin(stripe_keys: None) -> Iterator[StripeStandin]:
    previous = stripe.api_base
    with StripeStandin(webhook_secret=WEBHOOK_SECRET) as server:
        stripe.api_base = server.base_url
        try:
            yield server
        finally:
            stripe.api_base = previous
