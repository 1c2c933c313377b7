"""The ERAS season's budget and interview side in real Chromium: estimate fees, add an
interview and export it (.ics), build a rank list with the keyboard buttons, run the
simulation. Screenshots at 1366 and 390 px; no page scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from icalendar import Calendar

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.eras.models import Interview
from matchway.eras.services.ranklist import rank_list_for_user
from matchway.eras.services.season import season_current
from matchway.eras.tests.factories_season import ProgramFactory, ProgramTargetFactory, specialty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
NAMES = ("Lakeshore Internal Medicine", "Hudson Valley Internal Medicine", "Front Range Medicine")


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _shots(page: Any, screenshot: Any, name: str) -> None:
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_fees_interview_rank_list_and_simulation(
    live_server: Any, page: Any, screenshot: Any, reference_data: None, tmp_path: Any
) -> None:
    cache.clear()
    page.set_default_timeout(60000)  # a busy shared machine; the pages themselves are fast
    base = live_server.url
    applicant = UserFactory(role="applicant", full_name="Amina Yusuf", timezone="Africa/Lagos")
    season = season_current()
    targets = [
        ProgramTargetFactory(
            applicant=applicant,
            season=season,
            status="interviewed",
            program=ProgramFactory(owner=applicant, name=name, specialty=specialty("140")),
        )
        for name in NAMES
    ]
    _sign_in(page, base, applicant.email)

    # Fees: prefilled from the list, each line explained, UNCONFIRMED said where it is.
    page.goto(f"{base}/eras/fees/")
    assert page.locator("#fee-specialty-1").input_value() == "140"
    page.locator("#fee-season").select_option("2026")
    page.locator("#fee-programs-1").fill("43")
    page.locator("#fee-specialty-2").select_option("420")
    page.locator("#fee-programs-2").fill("7")
    with page.expect_navigation():
        page.get_by_role("button", name="Estimate").click()
    result = page.locator(".eras-fee-result").inner_text()
    assert "$797 in total" in result
    assert "programs 31–43: 13 × $30 = $390" in result
    _shots(page, screenshot, "fees")

    # An interview in Chicago time, shown in Lagos time too, exported as .ics.
    page.goto(f"{base}/eras/interviews/new/")
    page.locator("#id_target").select_option(label=NAMES[0])
    page.locator("#id_day").fill("2026-11-02")
    page.locator("#id_time").fill("09:00")
    page.locator("#id_timezone").select_option("America/Chicago")
    page.locator("#id_duration_minutes").fill("180")
    page.locator("#id_format").select_option("virtual")
    page.locator("#id_link").fill("https://meet.example.org/lakeshore")
    page.locator("#id_thank_you_due_on").fill("2026-11-04")
    page.get_by_role("button", name="Save interview").click()
    page.wait_for_url(re.compile(r"/eras/interviews/$"))
    body = page.locator("main").inner_text()
    assert "09:00–12:00 CST (America/Chicago)" in body
    assert "16:00–19:00 WAT (Africa/Lagos)" in body
    _shots(page, screenshot, "interviews")
    interview = Interview.objects.get(target=targets[0])
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    path = tmp_path / "interview.ics"
    download_info.value.save_as(str(path))
    (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["uid"]).startswith(f"eras-interview-{interview.pk}@")
    assert event.decoded("dtstart").isoformat() == "2026-11-02T15:00:00+00:00"

    # Rank list: add all three, then move the last one up with the keyboard only.
    page.goto(f"{base}/eras/rank-list/")
    for _ in NAMES:
        with page.expect_navigation():
            page.get_by_role("button", name="Add to list").first.click()
    ordered = [t.program.name for t in rank_list_for_user(user=applicant, season=season)]
    assert len(ordered) == 3
    last = ordered[-1]
    up = page.get_by_role("button", name=f"Move {last} up")
    up.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    now = [t.program.name for t in rank_list_for_user(user=applicant, season=season)]
    assert now == [ordered[0], last, ordered[1]]
    items = page.locator("#rank-list li .eras-rank-name").all_inner_texts()
    assert [i.splitlines()[0].strip() for i in items] == now
    # Lagos is 6 hours ahead, yet the deadline stays in Eastern Time.
    assert "9:00 PM Eastern Time" in page.locator("main").inner_text()
    _shots(page, screenshot, "rank-list")

    # The simulation: the true order is never beaten.
    page.get_by_role("button", name="Try the simulation").click()
    page.get_by_label(now[0]).select_option("none")
    with page.expect_navigation():
        page.get_by_role("button", name="Run the simulation").click()
    assert "none got you a program you prefer" in page.locator(".eras-sim-result").inner_text()
    _shots(page, screenshot, "simulation")
