"""ERAS season, program side, in real Chromium: import a CSV with one bad row, read the fit
lines, assign a letter and a statement, export the list; 1366 and 390 px without overflow."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from matchway.accounts.models import ApplicantProfile
from matchway.accounts.tests.factories import UserFactory
from matchway.eras.tests.factories_programs import certified_rotation
from matchway.letters.tests.factories import uploaded_request
from matchway.reference.loader import load_all
from matchway.statements.tests.factories import StatementFactory, StatementVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-secure-pass-42"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
CSV = (
    "acgme_id,name,specialty,state,position_type,usce_months,usce_months_strictness,"
    "usce_kind,visas,visas_strictness,source_url,checked_on\n"
    "1403521001,Lakeside Internal Medicine,140,NY,categorical,3,strict,hands_on,j1,strict,"
    "https://example.org/lakeside-img,2026-11-20\n"
    "99,Broken Row Medicine,140,NY,categorical,,,,,,,\n"
    "1203521002,Valley Family Medicine,120,CA,categorical,1,preferred,,h1b,strict,,\n"
)


def _no_overflow(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _both_widths(page: Any, screenshot: Any, name: str) -> None:
    for label, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        assert _no_overflow(page), f"{name} overflows at {label} px"
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_eras_programs_journey(live_server: Any, page: Any, screenshot: Any) -> None:
    load_all()
    amina = UserFactory(
        email="amina@example.com", full_name="Amina Okafor", role="applicant", password=PASSWORD
    )
    ApplicantProfile.objects.update_or_create(user=amina, defaults={"visa_need": "j1"})
    certified_rotation(amina, hands_on=True, length_days=56)
    uploaded_request(amina, writer_name="Dr. Ngozi Eze", writer_email="eze@example.org")
    statement = StatementFactory(applicant=amina, title="IM general")
    StatementVersionFactory(statement=statement, number=1)
    base = live_server.url

    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill("amina@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))

    # The header leads to the season; the list starts empty.
    page.locator("summary", has_text="My work").click()
    page.get_by_role("link", name="ERAS season").click()
    page.wait_for_url(re.compile(r"/eras/programs/$"))
    assert page.get_by_text("Your program list is empty").is_visible()
    _both_widths(page, screenshot, "empty")

    # Import: the bad row is reported, the good rows are in.
    page.get_by_role("button", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "programs.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("2 added, 0 updated.").is_visible()
    assert "Row 3:" in page.locator(".eras-import-errors").inner_text()
    _both_widths(page, screenshot, "imported")

    # Fit lines, explained, from the certified rotation and the profile.
    page.get_by_role("link", name="See your programs").click()
    lines = page.locator(".eras-fit-lines").first.inner_text()
    assert "you have 2 months, certificate MW-T" in page.content()
    assert "Program sponsors" in page.content()
    assert lines
    _both_widths(page, screenshot, "list")

    # Documents: one letter and one statement for Lakeside; the checklist follows.
    page.get_by_role("link", name="Lakeside Internal Medicine").click()
    page.locator("#id_letter").select_option(index=0)
    page.get_by_role("button", name="Assign letter").click()
    assert page.get_by_text("waived: status only").is_visible()
    page.locator("#id_statement").select_option(label="IM general")
    page.get_by_role("button", name="Assign statement").click()
    assert page.get_by_text("“IM general”, version 1").is_visible()
    checklist = page.locator(".eras-checklist").inner_text()
    assert "A personal statement assigned" in checklist
    _both_widths(page, screenshot, "detail")

    # Export: a CSV of the list.
    page.get_by_role("link", name="Back to your programs").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export CSV").click()
    path = download_info.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert text.startswith("acgme_id,name,specialty")
    assert "Lakeside Internal Medicine" in text
    assert "Valley Family Medicine" in text
