"""A coordinator's daily pages in real Chromium (#17): the header's Rotations goes to the
workspace; the audit log reads in words (code in the tooltip) and fits at 1366 and 390 px; the
people page searches, deactivates a preceptor after a confirm step (who then cannot sign in)
and fits both widths; the capacity calendar shows seats used / capacity with words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core.audit import audit_record
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for overflow in page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].map(e => e.scrollWidth - e.clientWidth)"
    ):
        assert overflow <= 0


def test_coordinator_audit_people_and_capacity(
    live_server: Any, page: Any, playwright_browser: Any, screenshot: Any
) -> None:
    cache.clear()
    base = live_server.url
    coordinator = UserFactory(
        role="coordinator", email="grace.coord@example.com", full_name="Grace Lin"
    )
    preceptor = UserFactory(
        role="preceptor", email="samuel.whitfield@example.com", full_name="Samuel Whitfield"
    )
    UserFactory(role="applicant", email="amina.okafor@example.com", full_name="Amina Okafor")
    for action in (
        "letter_request.brag_sheet_downloaded",
        "document.verified",
        "application.accepted",
        "widget.colour_changed",
    ):
        audit_record(actor=preceptor, action=action, target=preceptor)
    session = RotationSessionFactory(
        rotation__title="Cardiology Outpatient Observership", capacity=4
    )
    for status in (ApplicationStatus.CONFIRMED, ApplicationStatus.CONFIRMED):
        ApplicationFactory(session=session, status=status)

    _sign_in(page, base, coordinator.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rotations").click()
    page.wait_for_url(re.compile(r"/rotations/manage/$"))

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/audit/")
        words = page.locator('abbr[title="letter_request.brag_sheet_downloaded"]')
        expect(words).to_have_text("Brag sheet downloaded")
        expect(page.locator('abbr[title="widget.colour_changed"]')).to_have_text(
            "Widget: colour changed"
        )
        _fits(page, width)
        screenshot(page, f"audit-log-{width}")

        page.goto(f"{base}/accounts/people/")
        expect(page.get_by_role("heading", name="People")).to_be_visible()
        _fits(page, width)
        screenshot(page, f"people-{width}")

        page.goto(f"{base}/rotations/manage/capacity/?month={session.start_date:%Y-%m}")
        expect(page.get_by_text("2 / 4 seats")).to_be_visible()
        expect(page.get_by_text("Filling", exact=True)).to_be_visible()
        _fits(page, width)
        screenshot(page, f"capacity-{width}")

    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{base}/accounts/people/")
    page.get_by_label("Name or email").fill("whitfield")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("amina.okafor@example.com")).to_have_count(0)
    page.get_by_role("link", name="Deactivate Samuel Whitfield").click()
    screenshot(page, "deactivate-confirm-390")
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_text("Samuel Whitfield is deactivated")).to_be_visible()
    expect(page.locator(".people-table .badge-bad")).to_have_text("Deactivated")
    assert "q=whitfield" in page.url  # back to the same search
    _fits(page, 390)
    screenshot(page, "deactivated-390")

    other = playwright_browser.new_context(viewport={"width": 390, "height": 900})
    try:
        pg = other.new_page()
        pg.goto(f"{base}/accounts/login/")
        pg.locator("#id_login").fill(preceptor.email)
        pg.locator("#id_password").fill(DEFAULT_PASSWORD)
        pg.get_by_role("button", name="Sign In").click()
        pg.wait_for_load_state()
        assert "/dashboard/" not in pg.url
        screenshot(pg, "deactivated-sign-in-refused-390")
    finally:
        other.close()
