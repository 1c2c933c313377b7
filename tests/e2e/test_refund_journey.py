"""Receipts and refunds in real Chromium (issue #16, part B): a coordinator records a bank
transfer by hand; the applicant (phone) opens and downloads its receipt, starts to withdraw,
reads the refund the policy gives, and withdraws; the coordinator (desktop) executes that
refund by hand. Screenshots at 390 and 1366 px; no horizontal overflow on any page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core import clock
from matchway.reference.models import Specialty
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Invoice,
    Refund,
    Rotation,
    RotationKind,
    RotationSession,
)
from matchway.rotations.services.payments import payment_record
from tests.e2e.money_steps import receipt_download, withdraw_seeing_refund
from tests.e2e.pdf_steps import lakeside_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _new_page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(15000)
    return context.new_page()


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _no_overflow(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} overflows by {overflow}px"


def _accepted(applicant: Any) -> Application:
    site = lakeside_site(organization_address="200 Main Street\nChicago, IL 60601")
    rotation = Rotation.objects.create(
        slug="im-clerkship",
        title="Internal Medicine Clerkship",
        specialty=Specialty.objects.get(code="140"),
        kind=RotationKind.CLERKSHIP,
        site=site,
        price_cents=360_000,
        deposit_cents=90_000,
        refund_rules={
            "deposit": [{"until_days": 30, "percent": 100}, {"until_days": 14, "percent": 50}],
            "balance": [{"until_days": 14, "percent": 100}],
        },
        published=True,
    )
    start = clock.site_today(site) + dt.timedelta(days=20)  # deposit tier: 50 %
    session = RotationSession.objects.create(
        rotation=rotation, start_date=start, end_date=start + dt.timedelta(days=27), capacity=4
    )
    return Application.objects.create(
        applicant=applicant,
        session=session,
        status=ApplicationStatus.ACCEPTED,
        hold_expires_at=clock.now() + dt.timedelta(hours=48),
    )


def test_refund_journey(
    playwright_browser: Any, live_server: Any, screenshot: Any, settings: Any
) -> None:
    cache.clear()
    settings.SITE_URL = live_server.url
    base = live_server.url
    applicant = UserFactory(role="applicant", email="amina@example.com", full_name="Amina Okafor")
    coordinator = UserFactory(role="coordinator", email="grace@example.com", full_name="Grace Lin")
    application = _accepted(applicant)
    # The coordinator recorded a bank transfer by hand (the review page's payment form).
    payment_record(
        actor=coordinator,
        application=application,
        amount_cents=90_000,
        method="bank_transfer",
        reference="WIRE-7781",
    )
    receipt = Invoice.objects.get()

    # --- Applicant (phone): the receipt, then withdraw seeing the refund first ----------------
    phone = _new_page(playwright_browser, PHONE)
    _sign_in(phone, base, applicant.email)

    def check(moment: str) -> None:
        _no_overflow(phone)
        screenshot(phone, f"phone-{moment}")

    receipt_download(
        phone,
        base,
        application,
        receipt,
        on_page=["WIRE-7781"],
        in_pdf=["Lakeside Rotations", "Amina Okafor", "WIRE-7781", "$900.00"],
        check=check,
    )
    withdraw_seeing_refund(
        phone,
        base,
        application,
        refund="$450",
        policy="Deposit: refunded in full until 30 days",
        check=check,
    )

    # --- Coordinator (desktop): execute the refund ------------------------------------------
    desk = _new_page(playwright_browser, DESKTOP)
    _sign_in(desk, base, coordinator.email)
    desk.goto(f"{base}/rotations/manage/applications/{application.pk}/")
    desk.get_by_role("link", name="Refund…").click()
    expect(desk.get_by_test_id("policy-quote")).to_have_text("$450")
    _no_overflow(desk)
    screenshot(desk, "desktop-refund-form")
    desk.get_by_label("Amount to refund (USD)").fill("450.00")
    desk.get_by_label(re.compile("How the money goes back")).select_option("bank_transfer")
    desk.get_by_label("Reference").fill("WIRE-BACK-12")
    desk.get_by_role("button", name="Record the refund").click()
    expect(desk.get_by_text("Refund recorded.")).to_be_visible()
    refund = Refund.objects.get()
    assert (refund.amount_cents, refund.method, refund.over_policy) == (
        45_000,
        "bank_transfer",
        False,
    )
    screenshot(desk, "desktop-after-refund")

    # --- Coordinator: the reports page at both widths ---------------------------------------
    desk.goto(f"{base}/rotations/manage/reports/")
    expect(desk.get_by_role("heading", name=re.compile("Reports for"))).to_be_visible()
    _no_overflow(desk)
    screenshot(desk, "desktop-reports")
    phone_coordinator = _new_page(playwright_browser, PHONE)
    _sign_in(phone_coordinator, base, coordinator.email)
    phone_coordinator.goto(f"{base}/rotations/manage/reports/")
    _no_overflow(phone_coordinator)
    screenshot(phone_coordinator, "phone-reports")
