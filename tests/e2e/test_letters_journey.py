"""Letters in real Chromium: an applicant asks for a waived letter with a brag sheet; the
writer opens the emailed link without an account, accepts, uploads a PDF and marks it
final; the applicant sees "uploaded" and nothing of the letter; the link then fails."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.documents.tests.samples import make_pdf
from matchway.experience.models import AttendanceRecord, JournalEntry
from matchway.letters.models import LetterRequest
from matchway.letters.selectors import SYSTEM, letter_get
from matchway.letters.tests.factories import rotation_application
from matchway.rotations.models import ApplicationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _writer_link() -> str:
    for message in reversed(mail.outbox):
        match = re.search(r"https?://[^/\s]+(/letters/write/[A-Za-z0-9_\-]+/)", message.body)
        if match:
            return match.group(1)
    raise AssertionError("no writer link was emailed")


def test_waived_letter_journey(
    live_server: Any, page: Any, screenshot: Any, tmp_path: Path
) -> None:
    cache.clear()
    base = live_server.url
    applicant = UserFactory(
        role="applicant", email="amina.e2e@example.com", full_name="Amina Okafor"
    )
    preceptor = UserFactory(
        role="preceptor", email="reyes.e2e@example.com", full_name="Dr. Daniel Reyes"
    )
    application = rotation_application(
        applicant,
        preceptor,
        status=ApplicationStatus.COMPLETED,
        start=timezone.localdate() - dt.timedelta(days=40),
    )
    AttendanceRecord.objects.create(
        application=application,
        day=application.session.start_date,
        hours=9,
        confirmed_by=preceptor,
    )
    JournalEntry.objects.create(
        application=application,
        kind="case_log",
        entry_date=application.session.start_date,
        data={
            "diagnosis_category": "Diabetic ketoacidosis",
            "teaching_point": "Close the anion gap before stopping the insulin drip.",
        },
        is_draft=False,
    )

    # The applicant asks an outside writer from that rotation, waiving the right to see it.
    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/letters/requests/new/")
    screenshot(page, "choose-writer")
    page.get_by_role("link", name="Someone else from this rotation").click()
    # letters.js is deferred: typing before it runs would not redraft (the server still does).
    page.wait_for_load_state("load")
    page.get_by_label("Writer's name").fill("Dr. Ngozi Eze")
    page.get_by_label("Writer's email").fill("ngozi.eze@example.org")
    # The draft follows the writer's name (htmx, on change) and greets as a person would.
    expect(page.get_by_label("Your follow-up message")).to_have_value(
        re.compile(r"^Dear Dr\. Eze,")
    )
    page.get_by_label("Writer's title and department").fill("MD, Internal Medicine")
    assert page.get_by_label(re.compile("Yes, I waive my right")).is_checked()
    page.get_by_label("ERAS Letter ID").fill("LOR-E2E-1")
    page.get_by_label("Anything else your writer should know").fill(
        "I presented the morning report on DKA management."
    )
    screenshot(page, "composer")
    page.set_viewport_size(PHONE)
    screenshot(page, "composer-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r"/letters/requests/\d+/$"))
    assert page.get_by_text("Your request is on its way to Dr. Ngozi Eze.").is_visible()
    assert "Close the anion gap" in page.locator(".brag-sheet").inner_text()
    screenshot(page, "request-sent")
    detail_url = page.url
    req = LetterRequest.objects.get(applicant=applicant)

    # The writer has no account: a fresh browser context, straight from the email.
    link = _writer_link()
    writer_context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    writer = writer_context.new_page()
    writer.on("dialog", lambda dialog: dialog.accept())
    writer.goto(f"{base}{link}")
    assert writer.get_by_role(
        "heading", name="Letter of recommendation for Amina Okafor"
    ).is_visible()
    assert "LOR-E2E-1" in writer.content()
    # Our message draft was written from the final details (the applicant did not edit it).
    message = writer.locator(".letters-quote").inner_text()
    assert message.startswith("Dear Dr. Eze,")
    assert "My ERAS Letter ID for this letter is LOR-E2E-1." in message
    assert "Diabetic ketoacidosis" in writer.locator(".brag-sheet").inner_text()
    screenshot(writer, "writer-opens-link")
    writer.get_by_role("button", name="Accept").click()
    writer.wait_for_url(f"{base}{link}")
    letter_file = tmp_path / "Eze_letter_for_Okafor.pdf"
    letter_file.write_bytes(make_pdf("Dear Program Director, I recommend Amina.", pages=2))
    writer.get_by_label("Your letter (PDF)").set_input_files(str(letter_file))
    writer.get_by_role("button", name="Upload", exact=True).click()
    writer.wait_for_url(f"{base}{link}")
    assert writer.get_by_text("Your letter is uploaded.").is_visible()
    assert "Eze_letter_for_Okafor.pdf" in writer.content()
    screenshot(writer, "writer-uploaded")
    writer.set_viewport_size(PHONE)
    screenshot(writer, "writer-uploaded-phone")
    writer.set_viewport_size({"width": 1280, "height": 900})
    writer.get_by_label(re.compile("I have also uploaded this letter")).check()
    writer.get_by_role("button", name="Mark final").click()
    writer.get_by_role("heading", name="Thank you for your letter").wait_for()
    screenshot(writer, "writer-thank-you")

    # The applicant sees "uploaded" and nothing about the letter itself.
    page.goto(detail_url)
    assert page.locator("main .badge").first.inner_text() == "Uploaded (final)"
    screenshot(page, "applicant-sees-uploaded")
    letter = letter_get(viewer=SYSTEM, letter_request=req)
    assert letter is not None
    html = page.content()
    assert letter.original_name not in html
    assert "Eze_letter_for_Okafor" not in html
    assert letter.sha256 not in html
    assert not re.search(rf"\b{letter.pages}\s*pages?\b", page.locator("main").inner_text())
    assert page.get_by_role("link", name="Download the letter (PDF)").count() == 0
    page.goto(f"{base}/letters/requests/")
    screenshot(page, "applicant-list")
    page.goto(f"{base}/dashboard/")
    screenshot(page, "applicant-dashboard")

    # Reusing the link fails with the neutral page.
    response = writer.goto(f"{base}{link}")
    assert response is not None
    assert response.status == 404
    assert writer.get_by_role("heading", name="This link is not valid").is_visible()
    assert "Amina" not in writer.locator("main").inner_text()
    screenshot(writer, "writer-link-reused")
    writer_context.close()
