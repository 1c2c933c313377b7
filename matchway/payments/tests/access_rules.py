"""Authorization matrix rows for card payments."""

from __future__ import annotations

from tests.access import Rule

URL_RULES = {
    # The applicant pays for their own application; others get 403 (role) or 404 (not theirs).
    "payments:checkout": Rule.only(
        "applicant", method="post", kwargs={"pk": 999999, "kind": "deposit"}
    ),
    # Stripe calls it; the Stripe-Signature header is the authentication (bad one: 400).
    "payments:stripe-webhook": Rule.external(
        "Stripe's signed webhook: authenticated by the Stripe-Signature header "
        "(matchway/payments/tests/test_webhook.py)",
        method="post",
    ),
}
