"""A Match Week drill in real Chromium: start, import the (fictitious) list by paste,
filter, send 45 applications with the bulk path, answer offers in two rounds; phone and
laptop widths without horizontal overflow."""

from __future__ import annotations

import re
from typing import Any

import pytest

from matchway.accounts.tests.factories import UserFactory
from matchway.reference.loader import load_all
from matchway.soap import samples
from matchway.soap.models import OfferStatus, SoapWeek, WeekKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-secure-pass-42"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _no_overflow(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _both_widths(page: Any, screenshot: Any, name: str) -> None:
    for label, size in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        _no_overflow(page, size["width"])
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(LAPTOP)


def _skip_until(page: Any, done: str) -> None:
    for _step in range(12):
        if page.get_by_text(done).count():
            return
        skip = page.get_by_role("button", name=re.compile(r"^Skip to:"))
        if not skip.count():
            break
        with page.expect_navigation():
            skip.click()
    raise AssertionError(f"never reached: {done}")


def test_soap_drill_journey(live_server: Any, page: Any, screenshot: Any) -> None:
    load_all()
    user = UserFactory(
        email="imani@example.com", full_name="Imani Mensah", role="applicant", password=PASSWORD
    )
    base = live_server.url
    page.set_viewport_size(LAPTOP)
    _login(page, base, "imani@example.com")

    # The header leads to Match week; the real cockpit shows the week and the checklist.
    page.locator("summary", has_text="My work").click()
    page.get_by_role("link", name="Match week").click()
    page.wait_for_url(re.compile(r"/soap/$"))
    assert page.get_by_text("Before Match Week").is_visible()
    _both_widths(page, screenshot, "week")

    # Start a drill.
    page.get_by_role("link", name="Practise with a drill").click()
    # 10x: a round's two hours last twelve real minutes, plenty for a slow machine.
    page.locator("#drill-speed").select_option("10")
    page.get_by_role("button", name="Start the drill").click()
    assert page.get_by_text("Drill (practice)").first.is_visible()

    # Import the list by paste (replacing Monday's sample), then filter it.
    page.get_by_role("link", name="Unfilled programs").click()
    assert page.get_by_text("Fictitious sample list.").is_visible()
    page.locator("summary", has_text="Import a copy of the list").click()
    page.locator("#import-text").fill(samples.sample_csv(120) + "oops,not,a,row\n")
    page.get_by_role("button", name="Import", exact=True).click()
    assert page.get_by_text("Imported 120 programs").is_visible()
    assert page.get_by_text(re.compile(r"Row 122:")).is_visible()
    page.locator("select[name=specialty]").select_option("Internal Medicine")
    page.get_by_role("button", name="Filter").click()
    specialties = page.locator("table.soap-programs td[data-label=Specialty]").all_inner_texts()
    assert specialties and set(specialties) == {"Internal Medicine"}
    _both_widths(page, screenshot, "list-filtered")
    page.goto(f"{base}/soap/drill/list/")

    # Applications open at 11:00 ET: skip there, select 45, send them in one go.
    _skip_until(page, "Skip to: Offer round 1")
    boxes = page.locator("input[name=code]")
    for i in range(45):
        boxes.nth(i).check()
    page.get_by_role("button", name="Send selected (mark sent in ERAS)").click()
    page.wait_for_url(re.compile(r"/soap/drill/applications/"))
    assert page.get_by_text("45 applications marked sent.").is_visible()
    assert page.get_by_text("45 of 45 used").is_visible()
    _both_widths(page, screenshot, "applications")

    # Round 1: decline every scripted offer.
    page.get_by_role("link", name="Offers").click()
    _skip_until(page, "Offer round 1 is open")
    declines = page.get_by_role("button", name="Decline", exact=True)
    assert declines.count() >= 1
    assert page.locator(".soap-countdown").first.inner_text().endswith("left")
    _both_widths(page, screenshot, "round-1")
    while page.get_by_role("button", name="Decline", exact=True).count():
        with page.expect_navigation():
            page.get_by_role("button", name="Decline", exact=True).first.click()
    assert page.get_by_text("this program will not offer again.").first.is_visible()

    # Round 2: accept one; the others are lost and the page says why.
    _skip_until(page, "Offer round 2 is open")
    open_offers = page.get_by_role("button", name="Accept (binding)")
    count = open_offers.count()
    assert count >= 1
    open_offers.first.click()
    assert page.get_by_text(re.compile(r"Acceptance is binding")).first.is_visible()
    if count > 1:
        assert page.get_by_text("you accepted another offer, which is binding.").first.is_visible()
    _both_widths(page, screenshot, "round-2")

    week = SoapWeek.objects.get(applicant=user, kind=WeekKind.DRILL)
    assert week.applications.filter(sent_at__isnull=False).count() == 45
    assert week.offers.filter(status=OfferStatus.ACCEPTED).count() == 1
    assert week.offers.filter(round=1, status=OfferStatus.DECLINED).exists()
    real = SoapWeek.objects.filter(applicant=user, kind=WeekKind.REAL).first()
    assert real is None or not real.applications.exists()
