"""Visa invitation letter in real Chromium: a graduate with a confirmed observership asks for
a letter from the application page; a coordinator issues it from the visa-letter queue; the
applicant downloads the PDF (its text checked) and a visitor opens the verify page. Phone
(390 px) and desktop (1366 px) screenshots."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from matchway.accounts.models import ApplicantProfile
from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core import clock
from matchway.reference.models import Specialty
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Rotation,
    RotationKind,
    RotationSession,
    VisaLetter,
)
from tests.e2e.pdf_steps import lakeside_site, pdf_download_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _new_page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15000)
    return context.new_page()


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _confirmed_observership(applicant: Any) -> Application:
    site = lakeside_site(
        organization_address="200 Main Street, Chicago, IL 60601",
        organization_phone="+1 312 555 0100",
    )
    rotation = Rotation.objects.create(
        slug="im-observership",
        title="Internal Medicine Observership",
        specialty=Specialty.objects.get(code="140"),
        kind=RotationKind.OBSERVERSHIP,
        site=site,
        price_cents=180_000,
        published=True,
    )
    start = clock.site_today(site) + dt.timedelta(days=60)
    session = RotationSession.objects.create(
        rotation=rotation, start_date=start, end_date=start + dt.timedelta(days=27), capacity=4
    )
    return Application.objects.create(
        applicant=applicant, session=session, status=ApplicationStatus.CONFIRMED
    )


def test_visa_letter_journey(
    playwright_browser: Any, live_server: Any, screenshot: Any, settings: Any
) -> None:
    cache.clear()
    settings.SITE_URL = live_server.url
    base = live_server.url
    applicant = UserFactory(role="applicant", email="amina@example.com", full_name="Amina Okafor")
    ApplicantProfile.objects.filter(user=applicant).update(is_graduate=True)
    coordinator = UserFactory(role="coordinator", email="grace@example.com", full_name="Grace Lin")
    application = _confirmed_observership(applicant)

    # --- Applicant (phone): request from the application page ----------------------------
    phone = _new_page(playwright_browser, PHONE)
    _sign_in(phone, base, applicant.email)
    phone.goto(f"{base}/rotations/applications/{application.pk}/")
    phone.get_by_role("link", name="Request a visa letter").click()
    phone.get_by_label("Your name exactly as printed in your passport").fill("OKAFOR AMINA")
    phone.get_by_label("Passport number").fill("A01234567")
    expect(phone.get_by_label("Who pays your costs (rotation fee, travel, housing)")).to_have_value(
        "The applicant (self-funded)"
    )
    screenshot(phone, "phone-request-form")
    phone.get_by_role("button", name="Send request").click()
    expect(phone.get_by_text("Waiting for review")).to_be_visible()
    expect(phone.get_by_text("••••4567")).to_be_visible()
    assert "A01234567" not in phone.content()
    screenshot(phone, "phone-requested")

    # --- Coordinator (desktop): the queue, review, issue -----------------------------------
    desk = _new_page(playwright_browser, DESKTOP)
    _sign_in(desk, base, coordinator.email)
    desk.goto(f"{base}/rotations/manage/")
    desk.get_by_role("link", name=re.compile("visa letters to review")).click()
    expect(desk.get_by_role("heading", name="Visa letters", exact=True)).to_be_visible()
    screenshot(desk, "desktop-queue")
    desk.get_by_role("link", name="Amina Okafor").click()
    screenshot(desk, "desktop-review")
    desk.get_by_role("button", name="Issue the letter").click()
    expect(desk.get_by_text(re.compile(r"Letter VL-[A-Z2-7]{10} issued"))).to_be_visible()
    letter = VisaLetter.objects.get()
    assert letter.number

    # --- Applicant (phone): download the PDF -------------------------------------------------
    phone.reload()
    expect(phone.get_by_text("Issued", exact=True)).to_be_visible()
    screenshot(phone, "phone-issued")
    pdf_download_text(
        phone,
        "Download the letter (PDF)",
        expected=("OKAFOR AMINA", "A01234567", "2400 N Lakeview Ave", "not employment"),
    )

    # --- Anyone: the verify page (desktop, then phone) --------------------------------------
    desk.goto(f"{base}/visa-letters/verify/{letter.number}/")
    expect(desk.get_by_text("Valid", exact=True)).to_be_visible()
    assert "A01234567" not in desk.content() and "4567" not in desk.content()
    screenshot(desk, "desktop-verify")
    phone.goto(f"{base}/visa-letters/verify/{letter.number}/")
    screenshot(phone, "phone-verify")
