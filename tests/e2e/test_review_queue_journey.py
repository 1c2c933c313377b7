"""The coordinator's review queue and application page in real Chromium (issue #17): sortable
columns with aria-sort, labelled filters, no default decision, documents previewed in place
(served inline with the sandboxing CSP) beside verify/reject, bulk verify; no horizontal
overflow at 390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.documents.models import Document, DocumentStatus
from matchway.documents.tests import samples
from matchway.documents.tests.factories import upload_document
from matchway.rotations.models import ApplicationStatus, BookingMode
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Which elements stick out past the phone's edge (shown when the overflow check fails).
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 392).slice(0, 12)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _shots(page: Any, screenshot: Any, name: str) -> None:
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        if label == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate(WIDE_ELEMENTS) if width > 390 else []
            assert width <= 390, f"{name}: the page is {width}px wide at 390px: {wide}"
        screenshot(page, f"{name}-{label}")


def test_review_queue_and_inline_preview(
    live_server: Any, page: Any, screenshot: Any, reference_data: None
) -> None:
    cache.clear()
    base = live_server.url
    coordinator = UserFactory(role="coordinator", full_name="Carla Coordinator")
    session = RotationSessionFactory(
        rotation=RotationFactory(title="Cardiology Clerkship", slug="cardio-e2e"),
        booking_mode=BookingMode.REVIEW,
        capacity=4,
    )
    people = ["Zora Okafor", "Amina Yusuf", "Bilal Haddad"]
    applications = [
        ApplicationFactory(
            session=session,
            status=ApplicationStatus.SUBMITTED,
            applicant=UserFactory(role="applicant", full_name=name),
        )
        for name in people
    ]
    amina = applications[1].applicant
    cv = upload_document(amina, "cv", content=samples.make_pdf("Amina Yusuf CV"))
    diploma = upload_document(
        amina, "medical_diploma", content=samples.make_png((480, 320)), name="diploma.png"
    )
    step1 = upload_document(amina, "usmle_step1")

    _sign_in(page, base, coordinator.email)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/rotations/manage/applications/")
    # Real labels, no "------", decision starts empty.
    assert page.locator("#id_specialty option").first.inner_text() == "All specialties"
    assert page.locator("select[name=action]").input_value() == ""
    # Sort by applicant: the header says so.
    header = page.locator("th.sortable", has_text="Applicant")
    assert header.get_attribute("aria-sort") == "none"
    header.locator("a").click()
    page.wait_for_url(re.compile(r"sort=applicant"))
    header = page.locator("th.sortable", has_text="Applicant")
    assert header.get_attribute("aria-sort") == "ascending"
    names = page.locator(".queue-table tbody td:nth-child(2) a").all_inner_texts()
    assert names == sorted(people)
    _shots(page, screenshot, "queue-sorted")

    # Apply with nothing chosen: a clear error, selection kept, nothing changed.
    page.locator(f"input[name=ids][value='{applications[0].pk}']").check()
    page.get_by_role("button", name="Apply to selected").click()
    page.get_by_text("Choose accept, decline or waitlist.").first.wait_for()
    _shots(page, screenshot, "queue-no-decision-error")
    assert page.locator(f"input[name=ids][value='{applications[0].pk}']").is_checked()
    applications[0].refresh_from_db()
    assert applications[0].status == ApplicationStatus.SUBMITTED

    # The application page: preview the CV (PDF) and the diploma (image) in place.
    page.goto(f"{base}/rotations/manage/applications/{applications[1].pk}/")
    previews = []
    page.on(
        "response",
        lambda r: previews.append(r) if "inline=1" in r.url else None,
    )
    with page.expect_response(lambda r: f"/documents/{cv.pk}/download/?inline=1" in r.url) as info:
        page.locator(f"#doc-preview-{cv.pk} > summary").click()
    response = info.value
    assert response.status == 200
    headers = response.all_headers()
    assert headers["content-disposition"].startswith("inline")
    assert headers["content-security-policy"].startswith("sandbox;")
    assert headers["x-frame-options"] == "SAMEORIGIN"
    with page.expect_response(lambda r: f"/documents/{diploma.pk}/download/?inline=1" in r.url):
        page.locator(f"#doc-preview-{diploma.pk} > summary").click()
    image = page.locator(f"#doc-preview-{diploma.pk} img")
    image.wait_for()
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=image.element_handle())
    page.locator(f"#doc-preview-{cv.pk}").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    _shots(page, screenshot, "review-preview")

    # Bulk verify two of the three.
    page.locator(f"#bulk-doc-{cv.pk}").check()
    page.locator(f"#bulk-doc-{step1.pk}").check()
    page.get_by_role("button", name="Verify selected").click()
    page.get_by_text("2 document(s) verified.").wait_for()
    statuses = dict(Document.objects.values_list("pk", "status"))
    assert statuses[cv.pk] == statuses[step1.pk] == DocumentStatus.VERIFIED
    assert statuses[diploma.pk] == DocumentStatus.UPLOADED
    _shots(page, screenshot, "review-after-bulk-verify")

    # The documents queue: the diploma still waits, with its preview and bulk selection.
    page.goto(f"{base}/documents/review/")
    assert page.locator(f"#bulk-doc-{diploma.pk}").is_visible()
    with page.expect_response(lambda r: f"/documents/{diploma.pk}/download/?inline=1" in r.url):
        page.locator(f"#doc-preview-{diploma.pk} > summary").click()
    page.locator(f"#doc-preview-{diploma.pk} img").wait_for()
    _shots(page, screenshot, "documents-queue-preview")
