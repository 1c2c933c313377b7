"""Issue #17, the applicant's writing tools in real Chromium: the statement editor shows each
finding beside the marked words (1366 and 390 px), and the letter composer's message follows
the specialty and due date until the applicant edits it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from matchway.accounts.tests.factories import UserFactory
from matchway.reference.loader import load_all
from matchway.reference.models import Specialty
from matchway.statements.services.versions import statement_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-secure-pass-42"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
BODY = (
    "During my observership in the United States, Dr. Chen taught me to examine every "
    "patient twice before calling a diagnosis. Mrs. Jane Doe was one of the first people "
    "I admitted with him.\n\n"
    "I would be proud to continue my training in Riverside Medical Center's program, where "
    "teaching comes first.\n\n"
    "That is why I am applying for a pediatrics residency, and why I enjoy the careful "
    "reasoning of internal medicine."
)


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _applicant() -> Any:
    load_all()
    return UserFactory(
        email="amina@example.com", full_name="Amina Okafor", role="applicant", password=PASSWORD
    )


def test_statement_findings_beside_the_text(live_server: Any, page: Any, screenshot: Any) -> None:
    user = _applicant()
    statement = statement_create(
        actor=user,
        title="General IM",
        specialty=Specialty.objects.get(name="Internal Medicine (Categorical)"),
        body=BODY,
    )
    base = live_server.url
    _login(page, base, "amina@example.com")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/statements/{statement.pk}/")
    text = page.locator("#marked-text")
    text.wait_for()
    notes = text.locator(".finding-note")
    body = text.inner_text()
    # The physician is not a patient; the patient still is; one program named; pediatrics.
    assert "every program; it names Riverside Medical Center" in body
    assert "reads as your goal" in body
    assert text.locator("mark", has_text="Dr. Chen").count() == 0
    assert text.locator("mark.finding-error", has_text="Mrs. Jane").count() == 1
    # Desktop: each note sits in the side column, level with its marked words.
    program = text.locator("mark", has_text="Riverside Medical Center").first
    note = notes.filter(has_text="it names Riverside Medical Center")
    assert note.is_visible()
    mark_box, note_box, text_box = program.bounding_box(), note.bounding_box(), text.bounding_box()
    assert note_box["x"] > mark_box["x"] + mark_box["width"] - 1
    assert abs(note_box["y"] - mark_box["y"]) < 40
    assert note_box["x"] + note_box["width"] <= text_box["x"] + text_box["width"] + 1
    text.scroll_into_view_if_needed()
    screenshot(page, "statement-findings-1366", full_page=False)
    screenshot(page, "statement-findings-1366-full")

    # Phone: notes stay out of the way until a marked passage is focused (Tab or tap).
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/statements/{statement.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not note.is_visible()
    program.focus()
    assert note.is_visible()
    program.scroll_into_view_if_needed()
    screenshot(page, "statement-findings-390-focused", full_page=False)
    screenshot(page, "statement-findings-390-full")


def test_letter_message_follows_details(live_server: Any, page: Any, screenshot: Any) -> None:
    _applicant()
    base = live_server.url
    _login(page, base, "amina@example.com")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/letters/requests/new/?outside=1")
    message = page.locator("#id_message")
    page.locator("#id_writer_name").fill("Priya Raman")
    page.locator("#id_writer_title").fill("MD, Internal Medicine")
    page.locator("#id_writer_title").blur()
    expect(message).to_have_value(re.compile(r"^Dear\ Dr\.\ Raman,"))
    page.locator("#id_specialty_code").select_option(label="Internal Medicine (Categorical)")
    expect(message).to_have_value(re.compile(re.escape("Internal Medicine (Categorical)")))
    page.locator("#id_due_date").fill("2027-03-28")
    expect(message).to_have_value(re.compile(re.escape("March 28, 2027")))
    message.scroll_into_view_if_needed()
    screenshot(page, "letter-message-follows-1366", full_page=False)

    # Edited by hand: a new due date leaves it alone and offers to update it.
    message.press("End")
    message.type("\nP.S. I will bring my case log.")
    page.locator("#id_due_date").fill("2027-04-02")
    offer = page.get_by_role("button", name="Update the message")
    offer.wait_for()
    page.wait_for_load_state("networkidle")
    assert "P.S. I will bring my case log." in message.input_value()
    assert "March 28, 2027" in message.input_value()
    offer.scroll_into_view_if_needed()
    screenshot(page, "letter-message-offer-1366", full_page=False)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    offer.scroll_into_view_if_needed()
    screenshot(page, "letter-message-offer-390", full_page=False)
    page.once("dialog", lambda dialog: dialog.accept())
    offer.click()
    expect(message).to_have_value(re.compile(re.escape("April 2, 2027")))
    assert "P.S." not in message.input_value()
    assert page.get_by_role("button", name="Update the message").count() == 0


def test_reminder_offered_only_after_a_week(live_server: Any, page: Any, screenshot: Any) -> None:
    import datetime as dt

    from matchway.core import clock
    from matchway.letters.models import LetterRequest
    from matchway.letters.tests.factories import sent_request

    user = _applicant()
    req = sent_request(user)
    base = live_server.url
    _login(page, base, "amina@example.com")
    for viewport, name in ((DESKTOP, "1366"), (PHONE, "390")):
        page.set_viewport_size(viewport)
        page.goto(f"{base}/letters/requests/{req.pk}/")
        assert page.get_by_role("button", name="Send a gentle reminder").count() == 0
        assert page.get_by_text("Give them time to answer").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 or name == "1366"
        screenshot(page, f"letter-detail-no-reminder-{name}")
    LetterRequest.objects.filter(pk=req.pk).update(requested_at=clock.now() - dt.timedelta(days=8))
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/letters/requests/{req.pk}/")
    assert page.get_by_role("button", name="Send a gentle reminder").is_visible()
