"""Every email template has a notification category, written down explicitly."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from matchway.notifications.categories import (
    CHOOSABLE,
    SYSTEM_TEMPLATES,
    TEMPLATES,
    Category,
    route_for,
)

EMAILS = Path(settings.BASE_DIR) / "matchway" / "templates" / "emails"


def _email_templates() -> set[str]:
    return {p.name.removesuffix(".subject.txt") for p in EMAILS.glob("*.subject.txt")}


def test_every_email_template_is_classified() -> None:
    templates = _email_templates()
    assert templates, EMAILS
    missing = sorted(templates - set(TEMPLATES) - SYSTEM_TEMPLATES)
    assert missing == [], (
        f"Classify these email templates in matchway/notifications/categories.py: {missing}"
    )


def test_table_names_only_existing_templates() -> None:
    assert sorted(set(TEMPLATES) - _email_templates()) == []


def test_security_and_money_are_always_emailed() -> None:
    for route in TEMPLATES.values():
        if route.category not in CHOOSABLE:
            assert route.essential


def test_fallback_by_name_for_unlisted_templates() -> None:
    assert route_for("message_posted").category == Category.MESSAGES
    assert route_for("arrival_reminder").category == Category.REMINDERS
    assert route_for("receipt_issued").essential
    assert route_for("payment_failed").category == Category.MONEY
    assert route_for("account_locked").essential
    unknown = route_for("something_new")
    assert unknown is not None and unknown.essential  # never lose an email
    assert route_for("notification_digest") is None
