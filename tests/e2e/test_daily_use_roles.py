"""Daily use, per role, on the demo data (issue #17), in real Chromium at 1366 and 390 px.

Each role signs in and walks its main pages; every page is screenshotted at both widths
(test-results/<test>/) and at 390 px neither the page nor any table's container is wider
than the screen. Fixed behaviour is asserted on the way: the applicant's to-dos come in
deadline order, the confidential part of an evaluation never reaches the applicant (page,
API export, privacy export), the time zone picker is grouped with a filter, the rotation
page puts price and refunds before the dates on a phone, a journal kind stores nothing
until something is typed; the coordinator's decision starts empty and documents preview
inline with the sandboxing CSP; the preceptor's roster and attendance fit a phone.
"""

from __future__ import annotations

import io
import re
import zipfile
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from matchway.accounts.models import User
from matchway.documents.models import Document
from matchway.experience.models import Evaluation, JournalEntry
from matchway.rotations.models import Application, ApplicationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matchway-demo"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# What sticks out past the phone's edge, reported when the check fails.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 392).slice(0, 10)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
TABLE_CONTAINERS = """() => [...document.querySelectorAll('table')].map(t => {
  const box = t.parentElement;
  return {cls: box.className, scroll: box.scrollWidth, client: box.clientWidth};
})"""


@pytest.fixture
def demo(settings: Any) -> None:
    cache.clear()
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/(dashboard|accounts/consent)/"))
    if "/consent/" in page.url:  # a demo person asked to accept a new policy version
        page.locator("input[type=checkbox]").first.check()
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"/dashboard/"))


def _fits_phone(page: Any, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: {width}px wide at 390px: {page.evaluate(WIDE)}"
    for box in page.evaluate(TABLE_CONTAINERS):
        assert box["scroll"] <= 390 and box["scroll"] <= box["client"] + 1, (name, box)


def _shots(page: Any, screenshot: Any, name: str) -> None:
    """Screenshot at 1366 and 390 px; at 390 px nothing may be wider than the screen."""
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-1366")
    page.set_viewport_size(PHONE)
    _fits_phone(page, name)
    screenshot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def _visit(page: Any, base: str, path: str, screenshot: Any, name: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status < 400, (path, response and response.status)
    _shots(page, screenshot, name)


def _zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(
            archive.read(n).decode("utf-8", "replace")
            for n in archive.namelist()
            if n.endswith((".json", ".txt", ".csv"))
        )


def test_applicant_daily_use(live_server: Any, page: Any, screenshot: Any, demo: None) -> None:
    base = live_server.url
    _visit(page, base, "/accounts/login/", screenshot, "sign-in")
    _visit(page, base, "/accounts/signup/", screenshot, "sign-up")
    _visit(page, base, "/accounts/password/reset/", screenshot, "password-reset")
    _sign_in(page, base, "applicant@example.com")
    amina = User.objects.get(email="applicant@example.com")

    # Dashboard: a to-do list first, soonest deadline first.
    page.goto(f"{base}/dashboard/")
    assert page.locator(".todo-item").count() >= 2
    due = page.locator(".todo-item .todo-due time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert due == sorted(due), due
    first_panel = page.locator("main section").first.get_attribute("aria-labelledby")
    assert first_panel == "todo-heading"
    _shots(page, screenshot, "applicant-dashboard")

    for path, name in (
        ("/documents/", "documents"),
        ("/letters/requests/", "letters"),
        ("/statements/", "statements"),
        ("/certificates/", "certificates"),
        ("/accounts/2fa/", "two-factor"),
        ("/accounts/email/", "email-addresses"),
    ):
        _visit(page, base, path, screenshot, f"applicant-{name}")

    # Profile: the time zone picker is grouped, her country first, with a filter box.
    page.goto(f"{base}/accounts/profile/")
    groups = page.locator("#id_user-timezone optgroup").evaluate_all("els => els.map(e => e.label)")
    # Lagos is both her zone and Nigeria's only one: it is listed once, at the top.
    assert groups[:3] == ["Your current zone", "United States (rotation sites)", "Often chosen"]
    page.locator("input.select-filter").fill("kolkata")
    visible = page.locator("#id_user-timezone option:not([hidden])").evaluate_all(
        "els => els.map(e => e.value)"
    )
    assert visible == ["Asia/Kolkata"]
    page.locator("input.select-filter").fill("")
    _shots(page, screenshot, "applicant-profile")

    # Her completed rotation: journal (preview, nothing stored on choosing a kind) and the
    # evaluations without the confidential part.
    evaluation = Evaluation.objects.exclude(confidential_comments="").get(
        application__applicant=amina
    )
    secret = evaluation.confidential_comments[:40]
    application = evaluation.application
    _visit(page, base, f"/experience/{application.pk}/evaluations/", screenshot, "evaluations")
    assert secret not in page.content()
    before = JournalEntry.objects.filter(application=application).count()
    page.goto(f"{base}/experience/{application.pk}/journal/")
    if page.get_by_role("button", name="Reflection").count():
        page.get_by_role("button", name="Reflection").click()
        page.wait_for_url(re.compile(r"/journal/new/reflection/$"))
        assert JournalEntry.objects.filter(application=application).count() == before
    page.goto(f"{base}/experience/{application.pk}/journal/")
    assert page.locator(".journal-preview").count() == before
    _shots(page, screenshot, "journal")

    # Neither export holds the confidential part.
    api_export = page.request.get(f"{base}/api/v1/me/export")
    assert api_export.status == 200 and secret not in _zip_text(api_export.body())
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    export = page.request.post(
        f"{base}/accounts/profile/export/", headers={"X-CSRFToken": token, "Referer": base}
    )
    assert export.status == 200 and secret not in _zip_text(export.body())

    # A rotation page on a phone: price, deposit and refunds before the list of dates.
    page.goto(f"{base}/rotations/cardiology-externship-brooklyn/")
    assert "Kwame Asante, MD" in page.content()
    _shots(page, screenshot, "rotation-page")
    page.set_viewport_size(PHONE)
    glance = page.locator(".glance").bounding_box()
    dates = page.locator("#sessions-heading").bounding_box()
    assert glance and dates and glance["y"] < dates["y"]


def test_coordinator_daily_use(live_server: Any, page: Any, screenshot: Any, demo: None) -> None:
    base = live_server.url
    _sign_in(page, base, "coordinator@example.com")
    _shots(page, screenshot, "coordinator-dashboard")
    _visit(page, base, "/rotations/manage/applications/", screenshot, "review-queue")
    assert page.locator("table.queue-table").count() == 1
    # The bulk decision starts empty.
    assert page.locator("select[name=action]").input_value() == ""

    submitted = Application.objects.filter(status=ApplicationStatus.SUBMITTED).first()
    assert submitted is not None
    _visit(page, base, f"/rotations/manage/applications/{submitted.pk}/", screenshot, "review")
    decision = page.locator("form select[name=decision], form select[name=action]")
    if decision.count():
        assert decision.first.input_value() == ""
    assert not page.locator("input[type=radio][name=decision]:checked").count()

    # Documents preview inline from the private download, with the sandboxing CSP.
    document = Document.objects.exclude(file="").order_by("pk").first()
    assert document is not None
    preview = page.request.get(f"{base}/documents/{document.pk}/download/?inline=1")
    assert preview.status == 200
    assert preview.headers["content-disposition"].startswith("inline")
    assert preview.headers["content-security-policy"].startswith("sandbox")

    session = submitted.session
    for path, name in (
        (f"/rotations/manage/sessions/{session.pk}/", "session-roster"),
        ("/rotations/manage/capacity/", "capacity"),
        ("/audit/", "audit-log"),
        ("/accounts/people/", "people"),
        ("/documents/review/", "documents-queue"),
    ):
        _visit(page, base, path, screenshot, name)


def test_preceptor_daily_use(live_server: Any, page: Any, screenshot: Any, demo: None) -> None:
    base = live_server.url
    _sign_in(page, base, "preceptor@example.com")
    _shots(page, screenshot, "preceptor-dashboard")
    _visit(page, base, "/rotations/teaching/", screenshot, "teaching")
    reyes = User.objects.get(email="preceptor@example.com")
    running = Application.objects.filter(
        status=ApplicationStatus.IN_PROGRESS, session__rotation__preceptors=reyes
    ).first()
    assert running is not None, "the demo gives the internist a student on the rotation now"
    _visit(page, base, f"/rotations/teaching/{running.session.pk}/", screenshot, "roster")
    _visit(page, base, f"/experience/{running.pk}/attendance/", screenshot, "attendance")
    _visit(page, base, "/experience/evaluations/pending/", screenshot, "evaluations-pending")
    # Every demo rotation of his is internal medicine: the specialty he practises.
    codes = set(reyes.precepted_rotations.values_list("specialty__code", flat=True))
    assert codes == {"140"}, codes
