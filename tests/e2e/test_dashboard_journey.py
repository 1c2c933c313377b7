"""The applicant's dashboard in real Chromium: the most urgent to-do comes first, the page
fits a phone, and the header's "My work" menu opens from the keyboard."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from matchway.accounts.tests.factories import UserFactory
from matchway.core import clock
from matchway.documents.models import DocumentStatus
from matchway.documents.tests.factories import DocumentFactory
from matchway.experience.models import Certificate, RenderState
from matchway.experience.tests.factories import completed_application, running_application
from matchway.letters.services.compose import letter_request_create
from matchway.letters.tests.factories import request_input
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-secure-pass-42"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _seed() -> None:
    applicant = UserFactory(
        email="amina@example.com", full_name="Amina Okafor", role="applicant", password=PASSWORD
    )
    passport = DocumentTypeFactory(code="passport", name="Passport")
    cv = DocumentTypeFactory()
    DocumentFactory(owner=applicant, type=cv, status=DocumentStatus.VERIFIED)
    # Listed first by the apps, due last: a letter draft, a document expiring in 5 days.
    letter_request_create(
        actor=applicant,
        data=request_input(due_date=clock.provider_today() + dt.timedelta(days=10)),
        send=False,
    )
    DocumentFactory(
        owner=applicant,
        type=DocumentTypeFactory(code="bls", name="BLS certificate"),
        status=DocumentStatus.VERIFIED,
        expires_on=clock.provider_today() + dt.timedelta(days=5),
    )
    done = completed_application(applicant=applicant, ended_days_ago=40, title="Pediatrics")
    Certificate.objects.create(
        number="MW-K7P2Q9R4T6",
        application=done,
        hours=160,
        issued_by=UserFactory(role="coordinator"),
        payload={},
        signature="x",
        render_state=RenderState.DONE,
        pdf="certificates/MW-K7P2Q9R4T6.pdf",
    )
    running = running_application(
        applicant=applicant,
        started_days_ago=24,
        length_days=27,
        title="Cardiology Observership at Mercy General",
    )
    # Paid in full, so the list pinned below has no payment to-do for it.
    running.payments.create(amount_cents=running.session.rotation.price_cents, method="card")
    for n in range(3):
        rotation = RotationFactory(
            title=f"Internal Medicine Clerkship {n}", required_document_types=[passport, cv]
        )
        ApplicationFactory(
            applicant=applicant,
            session=RotationSessionFactory(rotation=rotation),
            status=ApplicationStatus.SUBMITTED,
        )
    # The most urgent: a seat held for 20 more hours, passport and deposit missing.
    held = RotationFactory(
        title="Family Medicine Clerkship in Queens", required_document_types=[passport, cv]
    )
    ApplicationFactory(
        applicant=applicant,
        session=RotationSessionFactory(rotation=held),
        status=ApplicationStatus.ACCEPTED,
        hold_expires_at=clock.now() + dt.timedelta(hours=20),
    )


def _login(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill("amina@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _no_overflow(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_applicant_dashboard_puts_the_most_urgent_first(
    live_server: Any, page: Any, screenshot: Any
) -> None:
    _seed()
    base = live_server.url
    for viewport, name in ((DESKTOP, "desktop-1366"), (PHONE, "phone-390")):
        page.set_viewport_size(viewport)
        if name.startswith("desktop"):
            _login(page, base)
        else:
            page.goto(f"{base}/dashboard/")
        items = page.locator(".todo-item")
        assert items.count() == 6
        first = items.first
        assert first.get_attribute("data-kind") == "documents"
        assert "Family Medicine Clerkship in Queens" in first.inner_text()
        assert first.get_by_role("button", name="Upload documents").is_visible()
        kinds = [items.nth(i).get_attribute("data-kind") for i in range(6)]
        assert kinds == [
            "documents",
            "deposit",
            "self-assessment",
            "document",
            "letter-draft",
            "documents",  # undated: the passport the three applications under review ask for
        ]
        # The to-do list comes before the applications, which are compact.
        todo_top = page.locator(".todo-panel").bounding_box()["y"]
        cards_top = page.locator(".application-card").first.bounding_box()["y"]
        assert todo_top < cards_top
        assert page.locator(".checklist").count() == 0
        _no_overflow(page, viewport["width"])
        screenshot(page, f"dashboard-{name}")
        screenshot(page, f"dashboard-{name}-top", full_page=False)

    # The header's "My work" menu opens from the keyboard and fits the phone.
    summary = page.locator(".nav-work summary")
    summary.focus()
    page.keyboard.press("Enter")
    link = page.locator(".nav-work").get_by_role("link", name="My certificates")
    assert link.is_visible()
    _no_overflow(page, PHONE["width"])
    screenshot(page, "menu-open-phone-390", full_page=False)
    link.click()
    page.wait_for_url(re.compile(r"/certificates/$"))
    assert page.get_by_role("heading", name="My certificates").is_visible()
    assert page.get_by_role("link", name="Verification link").is_visible()
    assert page.get_by_role("link", name="Download PDF").is_visible()
    _no_overflow(page, PHONE["width"])
    screenshot(page, "my-certificates-phone-390")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "my-certificates-desktop-1366")
