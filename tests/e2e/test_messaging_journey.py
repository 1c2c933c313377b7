"""Messages in real Chromium: the applicant writes from their application page (a patient
identifier is refused, the text stays, htmx swaps the conversation), the coordinator sees
the unread count in the header, finds the thread in the inbox and answers; the applicant
sees the answer. Screenshots at phone (390) and desktop (1366) widths."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_applicant_and_coordinator_exchange_messages(
    live_server: Any, page: Any, playwright_browser: Any, screenshot: Any
) -> None:
    cache.clear()
    base = live_server.url
    applicant = UserFactory(
        role="applicant", email="amina.msg@example.com", full_name="Amina Okafor"
    )
    coordinator = UserFactory(
        role="coordinator", email="grace.msg@example.com", full_name="Grace Lin"
    )
    session = RotationSessionFactory(rotation__title="Internal Medicine Inpatient Observership")
    application = ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.CONFIRMED
    )

    # 1. The applicant opens the conversation from their application page.
    page.set_viewport_size(PHONE)
    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/rotations/applications/{application.pk}/")
    page.get_by_role("link", name="Messages with the coordinators").click()
    page.get_by_role("heading", name="Messages", exact=True).wait_for()
    expect(page.get_by_text("No messages yet")).to_be_visible()

    # 2. A patient identifier is refused; the text stays in the form, nothing is sent.
    body = page.get_by_label("Your message")
    body.fill("Can I shadow Mr. John Smith, MRN 12345678, on day one?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Possible patient identifiers").first).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value(
        "Can I shadow Mr. John Smith, MRN 12345678, on day one?"
    )
    screenshot(page, "phi-refused-phone")

    # 3. Rewritten without identifiers, it is sent (htmx swaps the conversation in place).
    page.get_by_label("Your message").fill("What time should I arrive on the first day?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".message-list .message")).to_have_count(1)
    expect(page.get_by_label("Your message")).to_have_value("")
    screenshot(page, "sent-phone")

    # 4. The coordinator sees one unread conversation in the header and the inbox.
    context = playwright_browser.new_context(viewport=DESKTOP)
    staff = context.new_page()
    _sign_in(staff, base, coordinator.email)
    expect(staff.locator(".nav-messages .count-badge")).to_have_text("1")
    staff.locator(".nav-messages").click()
    staff.get_by_role("heading", name="Inbox").wait_for()
    expect(staff.get_by_text("Awaiting reply")).to_be_visible()
    screenshot(staff, "inbox-desktop")
    staff.get_by_role("link", name=re.compile("Amina Okafor")).click()
    staff.get_by_text("What time should I arrive on the first day?").wait_for()
    expect(staff.locator(".nav-messages .count-badge")).to_have_count(0)  # read now

    # 5. The coordinator assigns the thread to herself and answers.
    staff.get_by_label("Assigned to").select_option(label="Grace Lin")
    staff.get_by_role("button", name="Assign").click()
    expect(staff.get_by_text("Assigned to Grace Lin.")).to_be_visible()
    staff.get_by_label("Your message").fill("Please come at 8:00 to the main lobby, desk B.")
    staff.get_by_role("button", name="Send").click()
    expect(staff.locator(".message-list .message")).to_have_count(2)
    screenshot(staff, "thread-desktop")
    context.close()

    # 6. The applicant sees the answer and the header count.
    page.goto(f"{base}/dashboard/")
    expect(page.locator(".nav-messages .count-badge")).to_have_text("1")
    page.goto(f"{base}/messages/applications/{application.pk}/")
    page.get_by_text("Please come at 8:00 to the main lobby, desk B.").wait_for()
    screenshot(page, "thread-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "thread-applicant-desktop")
