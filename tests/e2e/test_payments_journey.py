"""Paying the deposit by card in real Chromium, against the local Stripe stand-in: the
applicant is sent to the stand-in's Checkout page, "pays", the stand-in delivers a signed
webhook to the live server, the applicant's page shows the payment; the coordinator sees it
and confirms; the applicant downloads the receipt of that card payment and withdraws, reading
the refund the policy gives before confirming (issue #16's acceptance journey; the receipt and
withdrawal steps are shared with test_refund_journey). Screenshots at 1366 and 390 px, no
horizontal overflow."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from matchway.accounts.tests.factories import UserFactory
from matchway.rotations.models import Application, ApplicationStatus, Invoice, Payment
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)
from tests.e2e.money_steps import receipt_download, withdraw_seeing_refund
from tests.stripe_standin import StripeStandin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-secure-pass-42"
SECRET = "whsec_journey_only"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def standin(settings: Any, live_server: Any) -> Iterator[StripeStandin]:
    settings.STRIPE_SECRET_KEY = "sk_test_journey"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.SITE_URL = live_server.url
    previous = stripe.api_base
    with StripeStandin(SECRET, live_server.url + "/payments/stripe/webhook") as server:
        stripe.api_base = server.base_url
        # Production allows the redirect to https://checkout.stripe.com; here, the stand-in.
        settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY.replace(
            "https://checkout.stripe.com", server.base_url
        )
        try:
            yield server
        finally:
            stripe.api_base = previous


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _no_overflow(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_applicant_pays_the_deposit_and_the_coordinator_confirms(
    standin: StripeStandin, live_server: Any, page: Any, screenshot: Any
) -> None:
    base = live_server.url
    applicant = UserFactory(
        email="amina@example.com", full_name="Amina Okafor", role="applicant", password=PASSWORD
    )
    coordinator = UserFactory(
        email="grace@example.com", full_name="Grace Lin", role="coordinator", password=PASSWORD
    )
    rotation = RotationFactory(
        title="Family Medicine Clerkship in Queens",
        price_cents=360_000,
        deposit_cents=90_000,
        # The session starts in six weeks (the factory): the deposit tier is "in full".
        refund_rules={
            "deposit": [{"until_days": 30, "percent": 100}, {"until_days": 14, "percent": 50}],
            "balance": [{"until_days": 14, "percent": 100}],
        },
    )
    application = ApplicationFactory(
        applicant=applicant,
        session=RotationSessionFactory(rotation=rotation),
        status=ApplicationStatus.ACCEPTED,
    )

    # 1. The dashboard says what to pay, by when; the application page has the button.
    page.set_viewport_size(DESKTOP)
    _sign_in(page, base, applicant.email)
    todo = page.locator('.todo-item[data-kind="deposit"]')
    assert "Pay the deposit for Family Medicine Clerkship in Queens ($900)" in todo.inner_text()
    todo.get_by_role("button", name="Pay now").click()
    page.wait_for_url(re.compile(rf"/rotations/applications/{application.pk}/"))
    pay = page.get_by_role("button", name="Pay deposit ($900)")
    pay.wait_for()
    for viewport, name in ((DESKTOP, "desktop-1366"), (PHONE, "phone-390")):
        page.set_viewport_size(viewport)
        _no_overflow(page, viewport["width"])
        screenshot(page, f"application-deposit-due-{name}")
    page.set_viewport_size(DESKTOP)

    # 2. Checkout: the stand-in's page for exactly the deposit; paying delivers the webhook.
    pay.click()
    page.wait_for_url(re.compile(re.escape(standin.base_url) + r"/pay/cs_test_\d+"))
    assert "$900.00" in page.content()
    screenshot(page, "stripe-standin-checkout")
    page.get_by_role("button", name="Pay now").click()
    page.wait_for_url(re.compile(r"\?payment=done"))
    assert standin.deliveries == [200]
    page.get_by_text("Thank you. Your card payment appears here").wait_for()
    assert "Next: the balance" in page.content()
    assert page.get_by_role("button", name="Pay balance ($2,700)").is_visible()
    for viewport, name in ((DESKTOP, "desktop-1366"), (PHONE, "phone-390")):
        page.set_viewport_size(viewport)
        _no_overflow(page, viewport["width"])
        screenshot(page, f"application-deposit-paid-{name}")
    payment = Payment.objects.get(application=application)
    assert (payment.amount_cents, payment.kind, payment.provider) == (90_000, "deposit", "stripe")

    # 3. The coordinator sees the card payment and confirms.
    staff_context = page.context.browser.new_context(viewport=DESKTOP)
    staff = staff_context.new_page()
    try:
        _sign_in(staff, base, coordinator.email)
        staff.goto(f"{base}/rotations/manage/applications/{application.pk}/")
        payments = staff.locator("#pay-heading").locator("xpath=..")
        assert "$900" in payments.inner_text() and "Card" in payments.inner_text()
        staff.get_by_text("ready to confirm").wait_for()
        screenshot(staff, "review-deposit-paid-desktop-1366")
        staff.get_by_role("button", name="Confirm", exact=True).click()
        staff.get_by_text("Confirmed. The applicant has been emailed.").wait_for()
        staff.set_viewport_size(PHONE)
        _no_overflow(staff, PHONE["width"])
        screenshot(staff, "review-confirmed-phone-390")
    finally:
        staff_context.close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONFIRMED
    assert Application.objects.get(pk=application.pk).payments.count() == 1

    # 4. The applicant downloads the receipt of that card payment, then withdraws, reading the
    # refund the policy gives (the whole deposit, six weeks out) before confirming.
    def check(moment: str) -> None:
        for viewport, name in ((DESKTOP, "desktop-1366"), (PHONE, "phone-390")):
            page.set_viewport_size(viewport)
            _no_overflow(page, viewport["width"])
            screenshot(page, f"card-{moment}-{name}")
        page.set_viewport_size(DESKTOP)

    receipt = Invoice.objects.get(payment=payment)
    receipt_download(
        page,
        base,
        application,
        receipt,
        on_page=[payment.reference],
        in_pdf=["Amina Okafor", payment.reference, "$900.00"],
        check=check,
    )
    withdraw_seeing_refund(
        page,
        base,
        application,
        refund="$900",
        policy="Deposit: refunded in full until 30 days",
        check=check,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
