"""Rotation experience in real Chromium: the applicant writes a pre-rounding entry (a PHI
finding is flagged and fixed) and a reflection; the preceptor confirms attendance and
evaluates; the coordinator issues a certificate; an anonymous visitor opens the verify URL
printed under the QR code and sees it valid, then revoked after the coordinator revokes it.
The certificate PDF is downloaded and its text checked."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core import clock
from matchway.experience.models import Certificate, JournalEntry
from matchway.experience.services.evaluations_requests import evaluations_request_due
from matchway.reference.loader import load_all
from matchway.reference.models import Specialty, State
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Rotation,
    RotationKind,
    RotationSession,
    Site,
    SiteKind,
)
from matchway.rotations.services.applications_lifecycle import application_complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PHI_LINE = "Mr. John Smith, MRN 12345678, new heart failure, day 2. Call 312-555-0199."


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _rotation(preceptor: Any, applicant: Any) -> Application:
    load_all()
    site = Site.objects.create(
        name="Lakeside Community Hospital",
        kind=SiteKind.HOSPITAL,
        address="2400 N Lakeview Ave",
        city="Chicago",
        state=State.objects.get(code="IL"),
        timezone="America/Chicago",
    )
    rotation = Rotation.objects.create(
        slug="im-inpatient-observership",
        title="Internal Medicine Inpatient Observership",
        specialty=Specialty.objects.get(code="140"),
        kind=RotationKind.OBSERVERSHIP,
        hands_on=False,
        site=site,
        weeks=4,
        price_cents=180_000,
        deposit_cents=30_000,
        published=True,
    )
    rotation.preceptors.set([preceptor])
    # The last day is today *at the site* (Chicago): the applicant still writes, the
    # evaluation is due. Not the provider's (New York) date: from 00:00 to 00:59 in New York
    # that is already tomorrow in Chicago's eyes, and the session would not have ended yet.
    end = clock.site_today(site)
    session = RotationSession.objects.create(
        rotation=rotation, start_date=end - dt.timedelta(days=25), end_date=end, capacity=4
    )
    return Application.objects.create(
        applicant=applicant,
        session=session,
        status=ApplicationStatus.IN_PROGRESS,
        started_at=timezone.now() - dt.timedelta(days=25),
    )


def _new_page(browser: Any, viewport: dict[str, int] = DESKTOP) -> Any:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15000)
    page = context.new_page()
    # Confirm dialogs ("Submit now?") are answered yes, as a person would.
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def test_experience_journey(
    page: Any, playwright_browser: Any, live_server: Any, screenshot: Any, settings: Any
) -> None:
    cache.clear()
    settings.SITE_URL = live_server.url  # the QR code and emails point at this server
    applicant = UserFactory(role="applicant", email="amina@example.com", full_name="Amina Okafor")
    preceptor = UserFactory(role="preceptor", email="reyes@example.com", full_name="Dr. Dan Reyes")
    coordinator = UserFactory(role="coordinator", email="grace@example.com", full_name="Grace Lin")
    application = _rotation(preceptor, applicant)
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # --- Applicant: pre-rounding entry with a PHI finding, flagged and fixed --------------
    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/experience/{application.pk}/journal/")
    screenshot(page, "journal-empty")
    page.get_by_role("button", name="Pre-rounding").click()
    # Choosing the kind stores nothing: the entry starts with the first text.
    page.wait_for_url(re.compile(r"/journal/new/pre_rounding/$"))
    assert not JournalEntry.objects.filter(application=application).exists()
    page.locator("#id_f_team").fill("Attending, two residents, one intern, charge nurse.")
    page.get_by_role("button", name="Start the entry").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    page.locator("#id_f_patients").fill(PHI_LINE)
    page.locator("#id_f_safety").fill("Fall risk flagged for one patient; told the nurse.")
    # The server stores nothing of text with findings: the browser keeps it.
    expect(page.locator("#autosave-status [data-draft-held]")).to_contain_text(
        "kept in this browser only"
    )
    page.wait_for_selector("mark.phi-mark")
    marks = page.locator("mark.phi-mark").all_inner_texts()
    assert "Mr. John Smith" in marks and any("12345678" in m for m in marks)
    screenshot(page, "phi-flagged")
    entry = JournalEntry.objects.get(application=application)
    assert "12345678" not in str(entry.draft_data) and "12345678" not in str(entry.data)
    # A reload loses nothing: the text comes back from this browser, with a notice.
    page.reload()
    expect(page.locator("#browser-draft-notice")).to_contain_text("Restored from this browser")
    expect(page.locator("#id_f_patients")).to_have_value(PHI_LINE)
    page.wait_for_selector("mark.phi-mark")
    screenshot(page, "phi-restored-from-browser")
    # Sharing is impossible while findings remain: saving keeps the text as a draft.
    page.get_by_role("button", name="Check and save").click()
    page.wait_for_selector("mark.phi-mark")
    assert "possible patient identifier" in page.content()
    while page.locator(".phi-actions button", has_text="Replace").count():
        before = page.locator("mark.phi-mark").count()
        page.locator(".phi-actions button", has_text="Replace").first.click()
        # No wait_for_function: the page's CSP (rightly) forbids evaluating strings.
        expect(page.locator("mark.phi-mark")).to_have_count(before - 1)
    fixed = page.locator("#id_f_patients").input_value()
    assert "John Smith" not in fixed and "[MRN]" in fixed and "new heart failure" in fixed
    screenshot(page, "phi-fixed")
    page.get_by_role("button", name="Check and save").click()
    page.wait_for_url(re.compile(r"/journal/\d+/$"))
    assert "new heart failure, day 2" in page.content()
    page.get_by_role("button", name="Share with my preceptor").click()
    page.wait_for_selector("text=Shared with your preceptor")
    screenshot(page, "pre-rounding-shared")

    # --- Applicant: reflection -------------------------------------------------------------
    page.goto(f"{base}/experience/{application.pk}/journal/")
    page.get_by_role("button", name="Reflection").click()
    page.locator("#id_f_experience").fill(
        "Watched a family meeting about goals of care and summarized the medication list."
    )
    page.get_by_role("button", name="Start the entry").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    page.locator("#id_f_next_time").fill("Lead with the assessment, then the data.")
    page.locator("#id_f_fit").fill("Following patients from admission to discharge suits me.")
    page.get_by_role("button", name="Check and save").click()
    page.wait_for_url(re.compile(r"/journal/\d+/$"))
    page.goto(f"{base}/experience/{application.pk}/journal/summary/")
    screenshot(page, "journal-summary")

    # --- The schedule asks the preceptor for an evaluation (run_periodic) -----------------
    assert evaluations_request_due() == 1

    # --- Preceptor: attendance and evaluation --------------------------------------------
    preceptor_page = _new_page(playwright_browser)
    _sign_in(preceptor_page, base, preceptor.email)
    assert "Evaluate Amina Okafor" in preceptor_page.content()
    screenshot(preceptor_page, "preceptor-dashboard")
    preceptor_page.goto(f"{base}/experience/{application.pk}/attendance/")
    preceptor_page.get_by_role("button", name="Fill weekdays without hours").click()
    preceptor_page.wait_for_selector("text=Attendance saved")
    screenshot(preceptor_page, "attendance")
    preceptor_page.goto(f"{base}/experience/{application.pk}/journal/")
    assert "Pre-rounding" in preceptor_page.content()
    assert "Reflection" not in preceptor_page.locator("main").inner_text()  # not shared
    preceptor_page.goto(f"{base}/experience/evaluations/pending/")
    preceptor_page.get_by_role("button", name="Evaluate", exact=True).first.click()
    ratings = {"PC": "na", "MK": "4", "PBLI": "5", "ICS": "4", "PROF": "5", "SBP": "3", "SA": "5"}
    for code, value in ratings.items():
        preceptor_page.locator(f"input[name=rating_{code}][value='{value}']").check()
    preceptor_page.locator("#id_strengths").fill(
        "Prepared before rounds every day; kept an accurate picture of the team's patients."
    )
    preceptor_page.locator("#id_areas_to_grow").fill("Commit to a plan before being asked.")
    preceptor_page.locator("input[name=would_write_letter][value=yes]").check()
    preceptor_page.locator("input[name=recommendation][value=recommend]").check()
    screenshot(preceptor_page, "evaluation-form")
    preceptor_page.get_by_role("button", name="Check and submit").click()
    preceptor_page.get_by_role("button", name="Yes, submit now").click()
    preceptor_page.wait_for_selector("text=Evaluation submitted")
    screenshot(preceptor_page, "evaluation-submitted")
    preceptor_page.context.close()

    # --- The applicant sees the evaluation (the chart needs a self-assessment first) -----
    page.goto(f"{base}/experience/{application.pk}/evaluations/")
    page.get_by_role("button", name="Start your self-assessment").click()
    for code, value in {"PC": "na", "MK": "3", "PBLI": "4", "ICS": "3", "PROF": "5"}.items():
        page.locator(f"input[name=rating_{code}][value='{value}']").check()
    page.locator("input[name=rating_SBP][value='3']").check()
    page.locator("input[name=rating_SA][value='4']").check()
    page.get_by_role("button", name="Check and submit").click()
    page.get_by_role("button", name="Yes, submit now").click()
    page.wait_for_selector("text=Evaluation submitted")
    page.goto(f"{base}/experience/{application.pk}/evaluations/")
    page.wait_for_selector("svg[role=img]")
    assert "Prepared before rounds every day" in page.content()
    screenshot(page, "evaluation-side-by-side")

    # --- Completion, then the coordinator issues the certificate --------------------------
    application_complete(actor=coordinator, application=application)
    coordinator_page = _new_page(playwright_browser)
    _sign_in(coordinator_page, base, coordinator.email)
    coordinator_page.goto(f"{base}/certificates/issue/{application.pk}/")
    assert "Observership — observation only; no hands-on patient care" in coordinator_page.content()
    screenshot(coordinator_page, "certificate-preview")
    coordinator_page.get_by_role("button", name="Sign and issue").click()
    coordinator_page.wait_for_url(re.compile(r"/certificates/MW-[A-Z2-7]{10}/$"))
    coordinator_page.get_by_role("button", name="Download the PDF").wait_for()
    screenshot(coordinator_page, "certificate-issued")
    certificate = Certificate.objects.get(application=application)
    with coordinator_page.expect_download() as download_info:
        coordinator_page.get_by_role("button", name="Download the PDF").click()
    pdf_bytes = Path(download_info.value.path()).read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Amina Okafor" in text and certificate.number in text
    assert "Observership — observation only; no hands-on patient care" in text
    assert "under supervision" not in text
    verify_url = re.search(r"Verify this certificate at (\S+)", text)
    assert verify_url and verify_url.group(1).startswith(base)

    # --- An anonymous visitor scans the QR code --------------------------------------------
    visitor = _new_page(playwright_browser, PHONE)
    visitor.goto(verify_url.group(1))
    assert visitor.locator(".verdict-title").inner_text().endswith("Valid")
    assert "Amina Okafor" in visitor.content()
    assert "amina@example.com" not in visitor.content()
    screenshot(visitor, "verify-valid-phone")

    # --- Revocation ------------------------------------------------------------------------
    coordinator_page.get_by_role("link", name="Revoke this certificate").click()
    coordinator_page.locator("#id_reason").fill("Issued for the wrong dates.")
    coordinator_page.get_by_role("button", name="Revoke").click()
    coordinator_page.wait_for_selector("text=Certificate revoked")
    visitor.reload()
    assert visitor.locator(".verdict-title").inner_text().endswith("Revoked")
    assert "Issued for the wrong dates." in visitor.content()
    screenshot(visitor, "verify-revoked-phone")
    coordinator_page.context.close()
    visitor.context.close()
