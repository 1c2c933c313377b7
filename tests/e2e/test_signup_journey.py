"""Sign-up → email confirmation → login → dashboard → TOTP enrolment, in real Chromium."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


STEP = 30  # seconds per TOTP code
MARGIN = 8  # seconds a code must still be valid for: the browser types and submits it


def _totp(secret: str, *, not_counter: int | None = None) -> tuple[str, int]:
    """A code that stays valid until the server checks it.

    allauth accepts only the current 30-second step (no tolerance), so a code computed in
    the last seconds of a step may be stale by the time the form is submitted; and it
    refuses a code twice, so the second code must come from a later step. In either case
    wait for the next step to begin.
    """
    while True:
        now = time.time()
        counter = int(now) // STEP
        if counter != not_counter and STEP - now % STEP >= MARGIN:
            return format_hotp_value(hotp_value(secret, counter)), counter
        time.sleep(STEP - now % STEP + 0.5)


def test_signup_confirm_login_dashboard_and_totp(live_server, page, screenshot):
    base = live_server.url
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_label("Email").fill("nadia@example.com")
    page.locator("#id_password1").fill("a-long-secure-pass-42")
    page.get_by_label("Password (again)").fill("a-long-secure-pass-42")
    screenshot(page, "signup-form")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    screenshot(page, "verify-email-sent")

    confirmation = mail.outbox[-1]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body)
    assert link, confirmation.body
    path = link.group(0).split("/accounts/", 1)[1]
    page.goto(f"{base}/accounts/{path}")
    screenshot(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert page.get_by_role("heading", name=re.compile("Welcome, Nadia")).is_visible()
    screenshot(page, "dashboard")

    # Sign out, then back in with the password.
    page.get_by_text("Nadia", exact=True).click()
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill("nadia@example.com")
    page.locator("#id_password").fill("a-long-secure-pass-42")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))

    # TOTP enrolment with a code computed from the secret the page shows.
    page.goto(f"{base}/accounts/2fa/totp/activate/")
    # Sensitive changes ask for the password again (allauth reauthentication).
    screenshot(page, "reauthenticate")
    page.locator("#id_password").fill("a-long-secure-pass-42")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    code, used = _totp(secret)
    page.get_by_label("Authenticator code").fill(code)
    screenshot(page, "totp-activate")
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    screenshot(page, "totp-activated")
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user__email="nadia@example.com", type="totp").exists()

    # Next login asks for the second factor.
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill("nadia@example.com")
    page.locator("#id_password").fill("a-long-secure-pass-42")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate"))
    screenshot(page, "totp-challenge")
    page.locator("#id_code").fill(_totp(secret, not_counter=used)[0])
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    screenshot(page, "dashboard-after-2fa")
