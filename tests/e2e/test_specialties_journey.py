"""Specialty explorer in real Chromium: an applicant with rotations in two specialties sees
both evidence panels on /specialties/, then compares the two specialties, at desktop and
phone width. Screenshots under test-results/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core import clock
from matchway.experience.models import JournalKind
from matchway.experience.tests.factories import (
    FULL_RATINGS,
    EvaluationFactory,
    JournalEntryFactory,
    completed_application,
    confirm_days,
)
from matchway.reference.loader import load_all
from matchway.reference.models import Specialty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _seed() -> Any:
    load_all()
    applicant = UserFactory(role="applicant", email="amara@example.com", full_name="Amara Obi")
    preceptor = UserFactory(role="preceptor", email="lee@example.com", full_name="Dr. Lee")
    for code, fit, hours in (
        ("140", "Long ward rounds taught me I like untangling many problems at once.", "8"),
        ("120", "Clinic continuity felt right; I want to know patients for years.", "6"),
    ):
        application = completed_application(
            applicant=applicant,
            preceptors=[preceptor],
            specialty=Specialty.objects.get(code=code),
        )
        confirm_days(application, preceptor, hours=hours, days=5)
        JournalEntryFactory(application=application, data={"fit": fit})
        JournalEntryFactory(
            application=application,
            kind=JournalKind.CASE_LOG,
            data={"diagnosis": "cardiovascular", "role": "assisted", "procedures": "ECG"},
        )
        EvaluationFactory(
            application=application,
            evaluator=preceptor,
            ratings=FULL_RATINGS,
            submitted_at=clock.now(),
        )
    return applicant


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_applicant_sees_evidence_and_compares(live_server: Any, page: Any, screenshot: Any):
    applicant = _seed()
    base = live_server.url
    _sign_in(page, base, applicant.email)
    page.get_by_role("link", name="Specialties", exact=True).first.click()
    page.wait_for_url(re.compile(r"/specialties/$"))
    assert page.locator("#evidence-140").is_visible()
    assert page.locator("#evidence-120").is_visible()
    assert page.get_by_text("2 rotations in 2 specialties").is_visible()
    screenshot(page, "list-desktop")

    page.goto(f"{base}/specialties/140/")
    assert page.locator("svg.chart").first.is_visible()
    assert page.locator("#s140-positions-table").is_visible()
    screenshot(page, "detail-desktop")

    # Compare through the form: pick the two specialties the applicant rotated in.
    page.goto(f"{base}/specialties/compare/")
    selects = page.locator("select[name=codes]")
    selects.nth(0).select_option("140")
    selects.nth(1).select_option("120")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"codes=140"))
    assert page.locator("#compare-fill-rate").is_visible()
    assert page.locator("#evidence-140").is_visible() and page.locator("#evidence-120").is_visible()
    screenshot(page, "compare-desktop")

    # A single specialty is not a comparison: the form says so (400), nothing breaks.
    page.goto(f"{base}/specialties/compare/?codes=140")
    assert page.get_by_role("alert").inner_text().startswith("Compare 2 or 3 specialties")

    page.set_viewport_size(PHONE)
    for name, url in (
        ("list-phone", "/specialties/"),
        ("detail-phone", "/specialties/140/"),
        ("compare-phone", "/specialties/compare/?codes=140,120"),
    ):
        page.goto(f"{base}{url}")
        # Nothing on the page is wider than the phone screen (tables scroll in their box).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (name, overflow)
        screenshot(page, name)
