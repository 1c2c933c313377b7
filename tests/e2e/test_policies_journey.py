"""A visitor reads About and Privacy, then signs up accepting the Terms and Privacy policy
(the box is not ticked for them; without it the form says why), in real Chromium."""

from __future__ import annotations

import re

import pytest

from matchway.accounts.models import Consent
from matchway.organization import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_policies_and_signs_up_with_consent(live_server, page, screenshot):
    demo.seed({})
    base = live_server.url
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/")
        page.get_by_role("link", name="About", exact=True).click()
        page.wait_for_url(re.compile(r"/about/$"))
        assert page.get_by_role("heading", name="About", exact=True).is_visible()
        screenshot(page, f"about-{width}")
        page.get_by_role("link", name="Privacy policy").first.click()
        page.wait_for_url(re.compile(r"/privacy/$"))
        assert page.get_by_text(re.compile(r"Version 1, effective")).is_visible()
        screenshot(page, f"privacy-{width}")

    page.goto(f"{base}/terms/")
    assert page.get_by_text(re.compile(r"Version 2, effective")).is_visible()
    page.get_by_role("link", name="Earlier versions").click()
    page.wait_for_url(re.compile(r"/terms/versions/$"))
    screenshot(page, "terms-versions-1366")

    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_label("Email").fill("nadia@example.com")
    page.locator("#id_password1").fill("a-long-secure-pass-42")
    page.get_by_label("Password (again)").fill("a-long-secure-pass-42")
    box = page.get_by_label(re.compile(r"I accept the Terms of use \(version 2\)"))
    assert not box.is_checked()
    # The browser's own "required" check would stop the submit; let the server answer.
    page.locator("form").first.evaluate("f => f.setAttribute('novalidate', '')")
    page.get_by_role("button", name="Sign Up").click()
    assert page.get_by_text("Tick the box to accept").is_visible()
    screenshot(page, "signup-refused-390")
    page.locator("#id_password1").fill("a-long-secure-pass-42")
    page.get_by_label("Password (again)").fill("a-long-secure-pass-42")
    page.get_by_label(re.compile(r"I accept the Terms of use")).check()
    screenshot(page, "signup-ticked-390")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "verify-email-sent-1366")

    kinds = set(
        Consent.objects.filter(user__email="nadia@example.com").values_list("kind", "version")
    )
    assert kinds == {("terms", 2), ("privacy", 1)}
