"""Notifications in real Chromium: the header's unread count, the list (mark one read, mark
all read), the email settings table, and a one-click unsubscribe link, at desktop and phone
width. Screenshots under test-results/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.notifications.categories import Category
from matchway.notifications.links import unsubscribe_url
from matchway.notifications.models import Mode, NotificationPreference
from matchway.notifications.tests.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _seed() -> Any:
    user = UserFactory(role="applicant", email="amara@example.com", full_name="Amara Obi")
    for category, subject in (
        (Category.BOOKINGS, "Your place on Internal Medicine Observership is confirmed"),
        (Category.DOCUMENTS, "Your passport copy expires in 30 days"),
        (Category.LETTERS, "Dr. Lee uploaded your letter"),
    ):
        NotificationFactory(
            user=user,
            category=category,
            subject=subject,
            text="Open Matchway to see the details and what to do next.",
        )
    return user


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _no_overflow(page: Any, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, (name, overflow)


def test_notifications_and_email_settings(live_server: Any, page: Any, screenshot: Any) -> None:
    user = _seed()
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    _sign_in(page, base, user.email)
    header_link = page.locator("a.nav-notifications")
    assert re.search(r"3\s*unread", header_link.inner_text())
    header_link.click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    assert page.locator("li.notification-unread").count() == 3
    screenshot(page, "list-desktop")

    page.get_by_role("button", name=re.compile("Mark as read: Dr. Lee")).click()
    assert page.locator("li.notification-unread").count() == 2
    assert re.search(r"2\s*unread", page.locator("a.nav-notifications").inner_text())
    page.set_viewport_size(PHONE)
    _no_overflow(page, "list-phone")
    screenshot(page, "list-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Mark all as read").click()
    assert page.locator("li.notification-unread").count() == 0
    assert page.locator(".nav-unread").count() == 0

    page.get_by_role("link", name="Email settings").first.click()
    page.wait_for_url(re.compile(r"/notifications/settings/$"))
    page.locator("#pref-letters-digest").check()
    page.locator("#pref-reminders-in_app").check()
    screenshot(page, "settings-desktop")
    page.get_by_role("button", name="Save email settings").click()
    assert page.get_by_text("Your email settings are saved.").is_visible()
    assert page.locator("#pref-letters-digest").is_checked()
    page.set_viewport_size(PHONE)
    _no_overflow(page, "settings-phone")
    screenshot(page, "settings-phone")

    # The link from an email: confirm page, then the category is in-app only.
    page.goto(base + unsubscribe_url(user.pk, "documents").removeprefix(settings.SITE_URL))
    screenshot(page, "unsubscribe-phone")
    page.get_by_role("button", name="Stop these emails").click()
    assert page.get_by_text("You will no longer get emails about documents").is_visible()
    assert NotificationPreference.objects.get(user=user, category="documents").mode == Mode.IN_APP
