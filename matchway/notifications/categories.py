"""Which email belongs to which notification category, written once, as a table.

Every email template (`templates/emails/<name>.subject.txt`) is classified explicitly in
TEMPLATES; `tests/test_categories.py` fails for one that is not. People choose, per choosable
category, immediate email, a daily digest or in-app only. Security and money emails are
always sent, and so is an email whose only way in is the secret link it carries (a letter
writer's or a statement reviewer's link): holding it back would lock the person out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("matchway.notifications")


class Category(models.TextChoices):
    BOOKINGS = "bookings", _("Bookings")
    DOCUMENTS = "documents", _("Documents")
    EVALUATIONS = "evaluations", _("Evaluations")
    LETTERS = "letters", _("Letters")
    MESSAGES = "messages", _("Messages")
    REMINDERS = "reminders", _("Reminders")
    SECURITY = "security", _("Account and security")
    MONEY = "money", _("Payments and receipts")


CHOOSABLE = (
    Category.BOOKINGS,
    Category.DOCUMENTS,
    Category.EVALUATIONS,
    Category.LETTERS,
    Category.MESSAGES,
    Category.REMINDERS,
)
ESSENTIAL = (Category.SECURITY, Category.MONEY)

DESCRIPTIONS = {
    Category.BOOKINGS: _("Applications, confirmations, waitlists and cancelled sessions."),
    Category.DOCUMENTS: _("Document reviews, expiring documents and certificates."),
    Category.EVALUATIONS: _("Evaluation requests and submitted evaluations."),
    Category.LETTERS: _("Letters of recommendation and invitation letters."),
    Category.MESSAGES: _("Messages and statement reviews."),
    Category.REMINDERS: _("Reminders about things that are due."),
    Category.SECURITY: _("Sign-in, invitations, privacy notices and secret links: always sent."),
    Category.MONEY: _("Payments, receipts and refunds: always sent."),
}


@dataclass(frozen=True)
class Route:
    category: Category
    always_email: bool = False  # essential category, or the email carries the only way in

    @property
    def essential(self) -> bool:
        return self.always_email or self.category in ESSENTIAL


B, D, E, L, M, R = CHOOSABLE
SECURITY = Route(Category.SECURITY, always_email=True)

# fmt: off
TEMPLATES: dict[str, Route] = {
    "application_accepted":       Route(B),
    "application_cancelled":      Route(B),
    "application_completed":      Route(B),
    "application_confirmed":      Route(B),
    "application_declined":       Route(B),
    "application_expired":        Route(B),
    "application_hold_extended":  Route(B),
    "application_received":       Route(B),   # to coordinators
    "application_started":        Route(B),
    "application_submitted":      Route(B),
    "application_waitlisted":     Route(B),
    "application_withdrawn":      Route(B),
    "session_cancelled":          Route(B),
    "arrival_reminder":           Route(R),   # a week before the first day
    "payment_reminder":           Route(Category.MONEY),  # before the balance is due
    "message_new":                Route(M),
    "visa_letter_requested":      Route(L),   # to coordinators
    "visa_letter_issued":         Route(L),
    "visa_letter_refused":        Route(L),
    "visa_letter_revoked":        Route(L),
    "certificate_ready":          Route(D),
    "certificate_revoked":        Route(D),
    "document_expired":           Route(D),
    "document_expiring":          Route(D),
    "document_rejected":          Route(D),
    # A legal notice before identity documents are deleted: always sent.
    "document_retention_notice":  SECURITY,
    "evaluation_request":         Route(E),   # external evaluators are not users: always emailed
    "evaluation_submitted":       Route(E),
    "evaluation_reminder":        Route(R),
    "invitation":                 SECURITY,   # the invitee is not a user yet
    "letter_accepted":            Route(L),
    "letter_arrived":             Route(L),
    "letter_declined":            Route(L),
    "letter_expired":             Route(L),
    "letter_ask_reminder":        Route(R),
    # To letter writers: the email carries the writer's only link.
    "letter_request_writer":      Route(L, always_email=True),
    "letter_nudge_writer":        Route(L, always_email=True),
    "letter_reminder_writer":     Route(L, always_email=True),
    "letter_withdrawn_writer":    Route(L, always_email=True),
    "statement_review_invite":    Route(M, always_email=True),  # the reviewer's only link
    "statement_review_done":      Route(M),
}
# fmt: on

#: Emails the notifications app sends itself: not routed (no notification of a digest).
SYSTEM_TEMPLATES = frozenset({"notification_digest"})

# For a template added after this table (until someone classifies it): by name. The test
# still demands an explicit row.
_PREFIXES: tuple[tuple[str, Route], ...] = (
    ("account_", SECURITY),
    ("password_", SECURITY),
    ("mfa_", SECURITY),
    ("payment_", Route(Category.MONEY, always_email=True)),
    ("receipt_", Route(Category.MONEY, always_email=True)),
    ("refund_", Route(Category.MONEY, always_email=True)),
    ("invoice_", Route(Category.MONEY, always_email=True)),
    ("application_", Route(B)),
    ("document_", Route(D)),
    ("evaluation_", Route(E)),
    ("letter_", Route(L)),
    ("message_", Route(M)),
)


def route_for(template: str) -> Route | None:
    """The route for an email template; None for the app's own (system) emails. An
    unknown template is treated as essential (never lose an email) and logged."""
    if template in SYSTEM_TEMPLATES:
        return None
    if template in TEMPLATES:
        return TEMPLATES[template]
    if template.endswith("_reminder"):
        return Route(R)
    for prefix, route in _PREFIXES:
        if template.startswith(prefix):
            return route
    logger.warning("email template %s has no notification category; sent as essential", template)
    return SECURITY
