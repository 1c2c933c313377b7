"""Payment reminders: one email per application, kind and due date, through run_periodic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from matchway.accounts.models import User
from matchway.core.models import AuditEvent
from matchway.payments.periodic import payment_reminders_send
from matchway.rotations.models import Application, ApplicationStatus, PaymentReminder
from matchway.rotations.services.payments import payment_record
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
    SiteFactory,
)

S = ApplicationStatus
PRICE, DEPOSIT = 360_000, 90_000
START = dt.date(2027, 3, 1)  # balance due Jan 30 (30 days before), reminded from Jan 23


@pytest.fixture
def application(db: None, coordinator: User, kolkata_applicant: User) -> Application:
    rotation = RotationFactory(
        site=SiteFactory(timezone="America/Los_Angeles"),
        price_cents=PRICE,
        deposit_cents=DEPOSIT,
        balance_due_days=30,
    )
    session = RotationSessionFactory(
        rotation=rotation, start_date=START, end_date=START + dt.timedelta(days=27)
    )
    application = ApplicationFactory(
        applicant=kolkata_applicant, session=session, status=S.CONFIRMED
    )
    payment_record(actor=coordinator, application=application, amount_cents=DEPOSIT, method="cash")
    return application


def _at(day: int, hour: int = 20) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, tzinfo=dt.UTC)


def test_not_before_the_window(application: Application, time_machine: Any) -> None:
    # Jan 22 in Los Angeles (Jan 23 04:00 UTC is still Jan 22 there): too early.
    assert payment_reminders_send(now=dt.datetime(2027, 1, 23, 4, tzinfo=dt.UTC)) == 0
    assert mail.outbox == []


def test_once_per_due_date(
    application: Application, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    time_machine.move_to(_at(23), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_reminders_send() == 1
        assert payment_reminders_send() == 0  # a second run sends nothing
    reminder = PaymentReminder.objects.get()
    assert (reminder.kind, reminder.due_date, reminder.amount_cents) == (
        "balance",
        dt.date(2027, 1, 30),
        PRICE - DEPOSIT,
    )
    [email] = mail.outbox
    assert "Payment due soon" in email.subject
    # The applicant is in Kolkata: Jan 30 23:59 in Los Angeles is Jan 31 13:29 there.
    assert "The balance of $2,700 is due by Sunday, Jan 31, 2027, 13:29 IST." in email.body
    assert f"/rotations/applications/{application.pk}/" in email.body
    assert email.alternatives  # an HTML part too
    assert AuditEvent.objects.filter(action="payment.reminder_sent").count() == 1


def test_overdue_reminder_and_paid_in_full(
    application: Application,
    coordinator: User,
    time_machine: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    time_machine.move_to(_at(31, 12), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_reminders_send() == 1
    assert "Payment overdue" in mail.outbox[0].subject
    other = ApplicationFactory(session=application.session, status=S.CONFIRMED)
    payment_record(actor=coordinator, application=other, amount_cents=PRICE, method="cash")
    assert payment_reminders_send() == 0  # paid in full: nothing to remind


def test_registered_with_run_periodic(application: Application, time_machine: Any) -> None:
    time_machine.move_to(_at(25), tick=False)
    call_command("run_periodic")
    assert PaymentReminder.objects.filter(application=application).count() == 1


def test_an_erased_account_is_not_reminded(application: Application, time_machine: Any) -> None:
    # Erasure deletes the person's reminder rows (their claim), so the account's state must
    # keep the next run from mailing it again.
    application.applicant.is_active = False
    application.applicant.save(update_fields=["is_active"])
    time_machine.move_to(_at(23), tick=False)
    assert payment_reminders_send() == 0
    assert not PaymentReminder.objects.exists()
