"""Arrival logistics in real Chromium: a coordinator writes the first-day details of a
rotation; the confirmed applicant (in Kolkata) sees them on their application page with
the time at the site and in their own zone, at desktop and phone widths."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core import clock
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_arrival_details_journey(live_server: Any, page: Any, screenshot: Any) -> None:
    cache.clear()
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="coord.arrival@example.com")
    applicant = UserFactory(
        role="applicant",
        email="priya.arrival@example.com",
        full_name="Priya Raman",
        timezone="Asia/Kolkata",
    )
    session = RotationSessionFactory(
        start_date=clock.provider_today() + dt.timedelta(days=20),
        rotation__title="Inpatient Internal Medicine Clerkship",
    )
    application = ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.CONFIRMED
    )

    # The coordinator fills in the rotation's first-day details.
    page.set_viewport_size(DESKTOP)
    _sign_in(page, base, coordinator.email)
    page.goto(f"{base}/rotations/manage/rotations/{session.rotation.pk}/arrival/")
    page.get_by_label("First-day arrival time").fill("07:30")
    page.get_by_label("Where to go on the first day").fill(
        "North Tower main entrance, medical education office (room 210)"
    )
    page.get_by_label("Whom to ask for").fill("Dr. Lena Ortiz, chief resident")
    page.get_by_label("Dress code").fill("Business casual, closed-toe shoes, short white coat.")
    page.get_by_label("What to bring").fill("Passport, printed confirmation, stethoscope.")
    page.get_by_label("Parking and transit").fill("Garage C on Elm St; bus 12 stops at the door.")
    page.get_by_label("Housing suggestions").fill("Riverside Suites has a weekly student rate.")
    page.get_by_label("Site contact").fill("Maya Chen, +1 718 555 0100")
    page.get_by_label("Badge and EHR access steps").fill(
        "Collect your badge at security (B2) from 07:00. Finish the EHR privacy module first."
    )
    screenshot(page, "coordinator-arrival-form")
    page.get_by_role("button", name="Save first-day details").click()
    page.wait_for_url(re.compile(r"/manage/rotations/\d+/$"))
    assert "First-day details saved." in page.content()
    page.context.clear_cookies()

    # The confirmed applicant sees them, in the site's zone and their own.
    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/rotations/applications/{application.pk}/")
    section = page.locator("section.arrival")
    section.get_by_role("heading", name="Your first day").wait_for()
    text = section.inner_text()
    assert "Dr. Lena Ortiz, chief resident" in text
    assert "Collect your badge at security" in text
    assert "in your time zone" in text
    assert " IST" in text
    screenshot(page, "applicant-arrival-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    section.get_by_role("heading", name="Your first day").scroll_into_view_if_needed()
    screenshot(page, "applicant-arrival-phone")
