"""Booking in real Chromium: an applicant filters the catalog, opens a rotation, uploads the
required documents in the vault and applies; a coordinator reviews, verifies the documents,
accepts, records the deposit and confirms; the applicant downloads the .ics."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.documents.models import Document, DocumentStatus, DocumentType
from matchway.documents.tests.samples import make_pdf
from matchway.reference.loader import load_all
from matchway.reference.models import Specialty, State
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    BookingMode,
    Rotation,
    RotationKind,
    RotationSession,
    Site,
    SiteKind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _catalog(preceptor: Any) -> tuple[Rotation, RotationSession]:
    load_all()
    chicago = Site.objects.create(
        name="Lakeside Community Hospital",
        kind=SiteKind.HOSPITAL,
        address="2400 N Lakeview Ave",
        city="Chicago",
        state=State.objects.get(code="IL"),
        timezone="America/Chicago",
    )
    online = Site.objects.create(
        name="Telehealth Partners", kind=SiteKind.VIRTUAL, timezone="America/New_York"
    )
    start = timezone.localdate() + dt.timedelta(days=45)
    rotation = Rotation.objects.create(
        slug="inpatient-cardiology-clerkship",
        title="Inpatient Cardiology Clerkship",
        specialty=Specialty.objects.get(code="140"),
        subspecialty="Cardiology",
        kind=RotationKind.CLERKSHIP,
        hands_on=True,
        site=chicago,
        description="## What you do\n\nRound with the cardiology team and present **daily**.",
        weeks=4,
        price_cents=320_000,
        deposit_cents=80_000,
        refund_policy="Full refund up to 30 days before the start.",
        letter_possible=True,
        published=True,
    )
    rotation.preceptors.set([preceptor])
    rotation.required_document_types.set(DocumentType.objects.filter(code__in=["cv", "passport"]))
    session = RotationSession.objects.create(
        rotation=rotation,
        start_date=start,
        end_date=start + dt.timedelta(days=27),
        capacity=3,
        booking_mode=BookingMode.REVIEW,
    )
    for i, (title, code, site) in enumerate(
        [
            ("Pediatrics Observership", "320", chicago),
            ("Telepsychiatry Elective", "400", online),
        ]
    ):
        other = Rotation.objects.create(
            slug=f"other-{i}",
            title=title,
            specialty=Specialty.objects.get(code=code),
            kind=RotationKind.OBSERVERSHIP if i == 0 else RotationKind.TELEHEALTH,
            site=site,
            weeks=2,
            price_cents=90_000,
            deposit_cents=10_000,
            published=True,
        )
        RotationSession.objects.create(
            rotation=other,
            start_date=start,
            end_date=start + dt.timedelta(days=13),
            capacity=2,
            booking_mode=BookingMode.INSTANT,
        )
    return rotation, session


def _upload(page: Any, code: str, path: Path, *, expires: str = "") -> None:
    card = page.locator(f"#type-{code}")
    card.locator("summary").click()
    card.locator(f"#id_{code}-file").set_input_files(str(path))
    if expires:
        card.locator(f"#id_{code}-expires_on").fill(expires)
    card.get_by_role("button", name=re.compile(r"^Upload ")).click()
    card = page.locator(f"#type-{code}")
    card.get_by_text("waiting for review", exact=False).first.wait_for()


def test_booking_journey(live_server: Any, page: Any, screenshot: Any, tmp_path: Path) -> None:
    cache.clear()
    base = live_server.url
    applicant = UserFactory(
        role="applicant", email="amina.booking@example.com", full_name="Amina Okafor"
    )
    profile = applicant.applicant_profile
    profile.is_graduate = True
    profile.medical_school = "University of Lagos"
    profile.save()
    coordinator = UserFactory(
        role="coordinator", email="grace.booking@example.com", full_name="Grace Lin"
    )
    preceptor = UserFactory(
        role="preceptor", email="reyes.booking@example.com", full_name="Dr. Daniel Reyes"
    )
    rotation, session = _catalog(preceptor)

    # 1. The applicant filters the catalog (htmx updates the list and the address bar).
    _sign_in(page, base, applicant.email)
    page.goto(f"{base}/rotations/")
    page.get_by_role("heading", name="Find a US clinical rotation").wait_for()
    screenshot(page, "catalog")
    page.get_by_label("Specialty").select_option("140")
    # htmx swaps the results and pushes the filter into the address bar (shareable URL).
    page.wait_for_function("() => location.search.includes('specialty=140')")
    results = page.locator("#catalog-results")
    results.get_by_text("1 rotation").wait_for()
    assert results.get_by_text("Pediatrics Observership").count() == 0
    page.get_by_label("Search").fill("chicago cardiology")
    page.wait_for_function("() => location.search.includes('q=chicago')")
    results.get_by_role("link", name="Inpatient Cardiology Clerkship", exact=True).wait_for()
    screenshot(page, "catalog-filtered")
    page.set_viewport_size(PHONE)
    screenshot(page, "catalog-phone")
    page.set_viewport_size(DESKTOP)

    # 2. The rotation page: hands-on stated plainly, documents missing.
    results.get_by_role("link", name="Inpatient Cardiology Clerkship", exact=True).click()
    page.wait_for_url(re.compile(r"/rotations/inpatient-cardiology-clerkship/"))
    assert "you examine patients and write notes under supervision" in page.content()
    assert page.get_by_text("Missing").count() == 2
    screenshot(page, "rotation")

    # 3. The required documents go into the vault.
    page.get_by_role("link", name="Open your document vault").click()
    page.wait_for_url(re.compile(r"/documents/"))
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(make_pdf("Curriculum vitae of Amina Okafor"))
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(make_pdf("Passport photo page"))
    _upload(page, "cv", cv)
    _upload(page, "passport", passport, expires=f"{timezone.localdate().year + 6}-01-31")
    screenshot(page, "vault")
    assert Document.objects.filter(owner=applicant, status=DocumentStatus.UPLOADED).count() == 2

    # 4. Apply: the checklist now says "uploaded"; consent is required.
    page.goto(f"{base}{rotation.get_absolute_url()}")
    screenshot(page, "rotation-documents-uploaded")
    page.get_by_role("button", name=re.compile(r"^Apply")).click()
    page.wait_for_url(re.compile(r"/apply/"))
    assert page.get_by_text("Uploaded — waiting for review").count() == 2
    page.get_by_label("Why this rotation?").fill(
        "I want to learn inpatient cardiology in a US teaching hospital before ERAS."
    )
    page.get_by_label("How did you hear about us?").select_option("guide")
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("The site needs your documents to review you.").wait_for()
    assert "inpatient cardiology in a US teaching hospital" in page.content()
    screenshot(page, "apply-error-kept")
    page.get_by_label(re.compile(r"I agree that the documents")).check()
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url(re.compile(r"/rotations/applications/\d+/"))
    page.get_by_text("Application sent.").wait_for()
    screenshot(page, "application-submitted")
    application = Application.objects.get(applicant=applicant)
    assert application.status == ApplicationStatus.SUBMITTED

    # 5. The coordinator reviews, verifies, accepts, records the deposit and confirms.
    staff_context = page.context.browser.new_context(viewport=DESKTOP)
    staff = staff_context.new_page()
    try:
        _sign_in(staff, base, coordinator.email)
        staff.goto(f"{base}/rotations/manage/applications/")
        staff.get_by_role("link", name="Amina Okafor").wait_for()
        screenshot(staff, "review-queue")
        staff.get_by_role("link", name="Amina Okafor").click()
        staff.get_by_role("heading", name="Amina Okafor").wait_for()
        assert "University of Lagos" in staff.content()
        screenshot(staff, "review-application")
        for _ in range(2):
            staff.get_by_role("button", name=re.compile(r"^Verify")).first.click()
            staff.wait_for_load_state()
        assert Document.objects.filter(owner=applicant, status=DocumentStatus.VERIFIED).count() == 2
        staff.locator("#id_action").select_option("accept")
        staff.locator("#id_message").fill("Welcome to the team!")
        staff.get_by_role("button", name="Save decision").click()
        staff.get_by_text("Decision saved").wait_for()
        staff.locator("#id_amount").fill("800.00")
        staff.locator("#id_method").select_option("bank_transfer")
        staff.locator("#id_reference").fill("WIRE-2027-0042")
        staff.get_by_role("button", name="Record payment").click()
        staff.get_by_text("Payment recorded.").wait_for()
        staff.get_by_text("ready to confirm").wait_for()
        screenshot(staff, "review-ready")
        staff.get_by_role("button", name="Confirm", exact=True).click()
        staff.get_by_text("Confirmed. The applicant has been emailed.").wait_for()
        screenshot(staff, "review-confirmed")
    finally:
        staff_context.close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONFIRMED

    # 6. The applicant sees the timeline and downloads the .ics.
    page.goto(f"{base}/rotations/applications/{application.pk}/")
    page.get_by_text("by Grace Lin").first.wait_for()
    assert "Welcome to the team!" in page.content()
    screenshot(page, "application-confirmed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    ics = Path(download_info.value.path()).read_bytes()
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Inpatient Cardiology Clerkship rotation"
    assert event.decoded("DTSTART") == session.start_date
    assert event.decoded("DTEND") == session.end_date + dt.timedelta(days=1)
    assert str(event["STATUS"]) == "CONFIRMED"
    page.set_viewport_size(PHONE)
    screenshot(page, "application-phone")
    page.goto(f"{base}/dashboard/")
    screenshot(page, "dashboard-phone")
