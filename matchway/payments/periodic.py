"""Payment reminders, run by `manage.py run_periodic` (docs/dev/money.md).

Before the balance is due (`Rotation.balance_due_days` before the start, on the site's
calendar) the applicant gets one email saying what to pay, how and by when. The reminder row
(`PaymentReminder`, unique per application, kind and due date) is inserted before the email
is queued, in the same transaction: it is the compare-and-set claim, so overlapping runs send
one email. Emails go through the project's mail path after commit (`notify_applicant`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.links import absolute_url
from matchway.rotations.ledger import cards_enabled, ledger_for, with_ledger
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    PaymentKind,
    PaymentReminder,
)
from matchway.rotations.services.applications import notify_applicant

logger = logging.getLogger("matchway.periodic")

# How many days before the balance's due date the reminder goes out.
REMINDER_DAYS_BEFORE = 7
REMINDED_STATUSES = (ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROGRESS)


def payment_reminders_send(now: dt.datetime | None = None) -> int:
    """Remind confirmed applicants whose balance is due within REMINDER_DAYS_BEFORE days of
    the site's today (or already overdue). Returns how many reminders were sent."""
    current = now or clock.now()
    candidates = with_ledger(
        # An erased account (inactive) gets no mail; its reminder rows were deleted.
        Application.objects.filter(status__in=REMINDED_STATUSES, applicant__is_active=True)
        .select_related("applicant", "session__rotation__site")
        .order_by("session__start_date", "pk")
    )
    sent = 0
    for application in candidates:
        ledger = ledger_for(application)
        due = ledger.next_due
        if due is None or due.due_at is None:
            continue
        zone = application.session.rotation.site.timezone
        due_date = clock.local_date(due.due_at, zone)
        if clock.today_in(zone, at=current) < due_date - dt.timedelta(days=REMINDER_DAYS_BEFORE):
            continue
        try:
            with transaction.atomic():
                PaymentReminder.objects.create(
                    application=application,
                    kind=due.kind,
                    due_date=due_date,
                    amount_cents=due.amount_cents,
                    sent_at=current,
                )
                audit_record(
                    actor=None,
                    action="payment.reminder_sent",
                    target=application,
                    data={"kind": due.kind, "amount_cents": due.amount_cents, "due": str(due_date)},
                )
                notify_applicant(
                    application,
                    "payment_reminder",
                    amount_cents=due.amount_cents,
                    due_at=due.due_at,
                    is_deposit=due.kind == PaymentKind.DEPOSIT,
                    overdue=due.overdue(current),
                    cards_enabled=cards_enabled(),
                    application_url=absolute_url("rotations:application", application.pk),
                )
        except IntegrityError:
            continue  # race: another run claimed this reminder first
        sent += 1
    return sent


JOBS = [payment_reminders_send]
