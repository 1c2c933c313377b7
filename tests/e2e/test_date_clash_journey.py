"""Honest seats and date clashes in real Chromium (issue #19): the catalog states seats as
facts; an applicant is warned when applying over their own dates; a coordinator's Confirm
is refused with a clear error naming the other rotation, then confirmed with a reason."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core import clock
from matchway.rotations.models import Application, ApplicationStatus, BookingMode
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
S = ApplicationStatus


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _shots(page: Any, screenshot: Any, name: str) -> None:
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{label}")


def test_seats_and_date_clash_journey(
    live_server: Any, page: Any, screenshot: Any, reference_data: None
) -> None:
    cache.clear()
    base = live_server.url
    d = clock.provider_today() + dt.timedelta(days=60)
    applicant = UserFactory(role="applicant", full_name="Amina Yusuf")
    coordinator = UserFactory(role="coordinator", full_name="Carla Coordinator")
    cardio = RotationSessionFactory(
        rotation=RotationFactory(title="Cardiology Clerkship", slug="cardio", deposit_cents=0),
        start_date=d - dt.timedelta(days=27),
        end_date=d,
        capacity=4,
    )
    ApplicationFactory(applicant=applicant, session=cardio, status=S.CONFIRMED)
    neuro = RotationSessionFactory(
        rotation=RotationFactory(title="Neurology Observership", slug="neuro", deposit_cents=0),
        start_date=d,
        end_date=d + dt.timedelta(days=27),
        capacity=4,
        booking_mode=BookingMode.INSTANT,
    )
    full = RotationSessionFactory(
        rotation=RotationFactory(title="Dermatology Observership", slug="derm"),
        capacity=1,
    )
    ApplicationFactory(session=full, status=S.CONFIRMED)
    ApplicationFactory.create_batch(2, session=full, status=S.WAITLISTED)

    # The catalog: facts, no urgency.
    page.goto(f"{base}/rotations/")
    body = page.locator("main").inner_text()
    assert "4 of 4 seats open" in body
    assert "Full — waitlist 2" in body
    assert "left" not in body.lower()
    _shots(page, screenshot, "catalog")

    # The applicant books Neurology, starting the day Cardiology ends: warned, not blocked.
    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/rotations/sessions/{neuro.pk}/apply/")
    warning = page.locator("#date-clash-warning")
    assert "Cardiology Clerkship" in warning.inner_text()
    _shots(page, screenshot, "apply-warning")
    page.set_viewport_size(DESKTOP)
    page.locator("#id_consent_share_documents").check()
    page.get_by_role("button", name="Book my seat").click()
    page.wait_for_url(re.compile(r"/rotations/applications/\d+/"))
    assert "overlap your other application" in page.locator("main").inner_text()
    held = Application.objects.get(applicant=applicant, session=neuro)
    assert held.status == S.ACCEPTED

    # The coordinator cannot confirm without a reason for the overlap.
    page.context.clear_cookies()
    _sign_in(page, base, coordinator.email)
    page.goto(f"{base}/rotations/manage/applications/{held.pk}/")
    assert "Overlaps these dates" in page.locator("aside").inner_text()
    page.get_by_role("button", name="Confirm", exact=True).click()
    error = page.locator(".form-errors[role=alert]")
    assert "Cardiology Clerkship" in error.inner_text()
    _shots(page, screenshot, "confirm-refused")
    page.set_viewport_size(DESKTOP)
    page.locator("#id_clash_override_reason").fill("Cardiology ends at noon; agreed with both.")
    page.get_by_role("button", name="Confirm", exact=True).click()
    page.wait_for_load_state()
    held.refresh_from_db()
    assert held.status == S.CONFIRMED
