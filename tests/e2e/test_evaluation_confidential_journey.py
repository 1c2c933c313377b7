"""Evaluations in real Chromium: the preceptor fills an evaluation, confidential part
included, at 1366 px and 390 px; the form checks every field before asking "submit now?";
the applicant's evaluations page shows the rest and no confidential part; the coordinator
sees it. The preceptor's roster warns about a student on the rotation whose documents are
not verified."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from matchway.accounts.tests.factories import UserFactory
from matchway.documents.models import DocumentStatus, DocumentType
from matchway.documents.tests.factories import DocumentFactory
from matchway.experience.models import Evaluation, EvaluationKind
from matchway.experience.services.evaluations_requests import evaluations_request_due

from .test_experience_journey import _rotation, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANARY = "ZEBRA-CONFIDENTIAL-4417"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15000)
    return context.new_page()


def _no_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_preceptor_evaluates_with_a_confidential_part(
    size: str, playwright_browser: Any, live_server: Any, screenshot: Any, settings: Any
) -> None:
    cache.clear()
    settings.SITE_URL = live_server.url
    base = live_server.url
    applicant = UserFactory(role="applicant", email="amina@example.com", full_name="Amina Okafor")
    preceptor = UserFactory(role="preceptor", email="reyes@example.com", full_name="Dr. Dan Reyes")
    coordinator = UserFactory(role="coordinator", email="grace@example.com", full_name="Grace Lin")
    application = _rotation(preceptor, applicant)
    document_type = DocumentType.objects.order_by("code").first()
    application.session.rotation.required_document_types.set([document_type])
    DocumentFactory(owner=applicant, type=document_type, status=DocumentStatus.UPLOADED)
    assert evaluations_request_due() == 1
    evaluation = Evaluation.objects.get(kind=EvaluationKind.PRECEPTOR)
    viewport = WIDTHS[size]

    # --- The preceptor's roster warns: on the rotation, documents not verified ----------
    page = _page(playwright_browser, viewport)
    _sign_in(page, base, preceptor.email)
    page.goto(f"{base}/rotations/teaching/{application.session.pk}/")
    warning = page.locator("tr.row-warning")
    assert warning.count() == 1 and "Amina Okafor" in warning.inner_text()
    assert "documents not verified" in warning.inner_text()
    _no_overflow(page)
    screenshot(page, f"{size}-roster-warning")

    # --- Submit with a missing answer: errors first, no question -----------------------
    page.goto(f"{base}/experience/evaluations/{evaluation.pk}/")
    ratings = {"PC": "na", "MK": "4", "PBLI": "5", "ICS": "4", "PROF": "5", "SBP": "3", "SA": "5"}
    for code, value in ratings.items():
        page.locator(f"input[name=rating_{code}][value='{value}']").check()
    page.locator("#id_strengths").fill("Prepared before rounds every day.")
    page.locator("#id_areas_to_grow").fill("Commit to a plan before being asked.")
    page.locator("input[name=would_write_letter][value=yes]").check()
    page.locator("#id_confidential_comments").fill(f"{CANARY}: ready for a categorical program.")
    assert "the applicant never does" in page.locator(".confidential-part").inner_text()
    page.get_by_role("button", name="Check and submit").click()
    page.wait_for_selector("text=Choose a recommendation.")
    assert page.get_by_role("button", name="Yes, submit now").count() == 0
    _no_overflow(page)
    screenshot(page, f"{size}-evaluation-errors")
    page.locator("input[name=recommendation][value=strongly_recommend]").check()
    page.locator(".confidential-part").scroll_into_view_if_needed()
    screenshot(page, f"{size}-evaluation-confidential-part", full_page=False)

    # --- Complete: now it asks, then submits ---------------------------------------------
    page.get_by_role("button", name="Check and submit").click()
    page.wait_for_selector("text=Everything is filled in. Submit now?")
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None
    page.locator("#confirm-submit").scroll_into_view_if_needed()
    _no_overflow(page)
    screenshot(page, f"{size}-evaluation-confirm", full_page=False)
    page.get_by_role("button", name="Yes, submit now").click()
    page.wait_for_selector("text=Evaluation submitted")
    assert CANARY in page.content() and "Strongly recommend" in page.content()
    screenshot(page, f"{size}-evaluation-submitted")
    page.context.close()

    # --- The applicant sees the rest, never the confidential part ------------------------
    page = _page(playwright_browser, viewport)
    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/experience/{application.pk}/evaluations/")
    page.wait_for_selector("text=Prepared before rounds every day.")
    html = page.content()
    assert CANARY not in html and "Strongly recommend" not in html
    assert "Confidential" not in page.locator("main").inner_text()
    _no_overflow(page)
    screenshot(page, f"{size}-applicant-evaluations")
    page.context.close()

    # --- The coordinator sees it, marked -------------------------------------------------
    page = _page(playwright_browser, viewport)
    _sign_in(page, base, coordinator.email)
    page.goto(f"{base}/experience/{application.pk}/evaluations/")
    part = page.locator(".confidential-part")
    assert CANARY in part.inner_text() and "Strongly recommend" in part.inner_text()
    _no_overflow(page)
    screenshot(page, f"{size}-coordinator-evaluations")
    page.context.close()
