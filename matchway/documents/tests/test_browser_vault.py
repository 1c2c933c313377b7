"""The vault in real Chromium: a refused file shows its reason beside the field, a dropped
file uploads with a progress bar, and a coordinator verifies and rejects from the queue."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.documents.models import Document, DocumentStatus
from matchway.reference.loader import load_all

from . import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Records every value the upload progress bar takes (the attribute reflects `.value`).
WATCH_PROGRESS = """
(selector) => {
  window.__progress = [];
  const bar = document.querySelector(selector);
  new MutationObserver(() => {
    if (bar.hasAttribute("value")) window.__progress.push(Number(bar.getAttribute("value")));
  }).observe(bar, {attributes: true, attributeFilter: ["value", "hidden"]});
}
"""

DROP_FILE = """
([selector, name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
  const zone = document.querySelector(selector);
  zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
}
"""


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_applicant_uploads_and_coordinator_reviews(
    live_server: Any, page: Any, screenshot: Any, playwright_browser: Any
) -> None:
    load_all()
    applicant = UserFactory(role="applicant", email="amina@example.com", full_name="Amina Okafor")
    UserFactory(role="coordinator", email="grace@example.com", full_name="Grace Lin")
    base = live_server.url

    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/documents/")
    assert page.get_by_text("Your vault is empty").is_visible()
    screenshot(page, "empty-vault")

    # A web page renamed .pdf: refused, reason beside the file field, nothing stored.
    card = page.locator("#type-cv")
    card.locator("summary").click()
    card.locator('input[type="file"]').set_input_files(
        {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": samples.HTML_PAGE}
    )
    card.get_by_role("button", name="Upload Curriculum vitae").click()
    error = page.locator("#id_cv-file_error")
    error.wait_for()
    assert "it looks like an HTML page" in error.inner_text()
    assert Document.objects.count() == 0
    screenshot(page, "refused-html", full_page=False)

    # Drag and drop a real PDF; the bar reaches 100 % and the card turns "waiting for review".
    card = page.locator("#type-cv")
    assert card.locator("[data-dropzone-hint]").is_visible()
    page.evaluate(WATCH_PROGRESS, "#type-cv [data-upload-progress]")
    pdf = samples.make_pdf("Amina Okafor - curriculum vitae", pages=40)
    page.evaluate(
        DROP_FILE, ["#type-cv [data-dropzone]", "Amina CV.pdf", base64.b64encode(pdf).decode()]
    )
    assert "Amina CV.pdf" in card.locator("[data-upload-status]").inner_text()
    card.get_by_role("button", name="Upload Curriculum vitae").click()
    page.locator("#type-cv .doc-notice").wait_for()
    assert page.locator("#type-cv").get_by_text("Waiting for review").is_visible()
    assert 100 in page.evaluate("window.__progress")
    document = Document.objects.get()
    assert document.original_name == "Amina CV.pdf"
    assert document.pages == 40
    screenshot(page, "uploaded")

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/documents/")
    screenshot(page, "phone-vault")

    # The coordinator rejects without a reason (error beside the field), then verifies.
    coordinator_page = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    coordinator_page.set_default_timeout(15000)
    cpage = coordinator_page.new_page()
    _sign_in(cpage, base, "grace@example.com")
    cpage.goto(f"{base}/documents/review/")
    item = cpage.locator(f"#doc-{document.pk}")
    assert item.get_by_text("Amina Okafor — Curriculum vitae").is_visible()
    screenshot(cpage, "review-queue")
    item.get_by_text("Reject…").click()
    item.get_by_role("button", name="Reject and email the applicant").click()
    cpage.locator(f"#id_reject-{document.pk}-reason_error").wait_for()
    screenshot(cpage, "reject-needs-reason", full_page=False)
    cpage.locator(f"#doc-{document.pk}").get_by_role("button", name="Verify").click()
    cpage.locator(f"#doc-{document.pk} .doc-notice").wait_for()
    assert cpage.locator(f"#doc-{document.pk}").get_by_text("Verified", exact=True).is_visible()
    document.refresh_from_db()
    assert document.status == DocumentStatus.VERIFIED
    screenshot(cpage, "verified", full_page=False)
    coordinator_page.close()
