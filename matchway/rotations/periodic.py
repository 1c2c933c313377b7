"""Periodic booking jobs, run by `manage.py run_periodic` (every minute, or with --loop).

Both jobs are idempotent compare-and-set claims: they re-read each row under the session
lock and act only if it is still in the state they looked for ("race: skip" otherwise), so
overlapping runs, or a coordinator acting at the same moment, cannot double-apply a change.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from matchway.core import clock
from matchway.core.exceptions import BusyError, InvalidTransition, ValidationFailed
from matchway.core.locking import booking_transaction, lock_for_update
from matchway.rotations.services.applications import notify_applicant, site_today
from matchway.rotations.services.applications_lifecycle import (
    application_expire_lapsed,
    application_start,
)

from .models import Application, ApplicationStatus, RotationSession

logger = logging.getLogger("matchway.periodic")


def holds_expire(now: dt.datetime | None = None) -> int:
    """Mark lapsed holds `expired` and hand the seats to the waitlist. Returns how many.

    One durable transaction per session: lock the session row, re-select the holds still
    lapsed under the lock (compare-and-set), expire them, then promote the waitlist into
    the freed seats in the same transaction. A session whose lock is busy is skipped and
    picked up by the next run. Seats were already free for counting the moment the hold
    lapsed; this job makes it visible and moves the waitlist.
    """
    current = now or clock.now()
    session_ids = sorted(
        set(
            Application.objects.filter(
                status=ApplicationStatus.ACCEPTED, hold_expires_at__lte=current
            ).values_list("session_id", flat=True)
        )
    )
    expired = 0
    for session_id in session_ids:
        try:
            with booking_transaction():
                session = lock_for_update(RotationSession, [session_id])[session_id]
                expired += application_expire_lapsed(session, now=current)
        except BusyError:
            logger.warning("holds_expire: session %s busy, retrying next run", session_id)
    return expired


def sessions_start(today: dt.date | None = None) -> int:
    """Move confirmed applications to `in_progress` once their session's start date came.

    The date is the site's local date. Each application goes through `application_start`
    (system actor), which re-checks the state under the session lock; one that moved in the
    meantime is skipped. Returns how many started.
    """
    # A day of slack: the site's local date can be ahead of the server's.
    horizon = (today or clock.provider_today()) + dt.timedelta(days=1)
    candidates = (
        Application.objects.filter(
            status=ApplicationStatus.CONFIRMED, session__start_date__lte=horizon
        )
        .select_related("session__rotation__site")
        .order_by("session_id", "pk")
    )
    started = 0
    for application in candidates:
        if site_today(application.session) < application.session.start_date:
            continue
        try:
            application_start(actor=None, application=application)
        except (InvalidTransition, ValidationFailed):
            continue  # race: someone else moved it first
        except BusyError:
            logger.warning("sessions_start: application %s busy", application.pk)
            continue
        started += 1
    return started


ARRIVAL_REMINDER_DAYS = 7


def arrival_reminders_send(now: dt.datetime | None = None) -> int:
    """Email each confirmed applicant the arrival details a week before their start date.

    Due from the site's local date `start - 7 days` until the day before the start (a missed
    run catches up). Applications confirmed on or after the due day are skipped: their
    confirmation email already carried the details. Each send is a compare-and-set on
    `arrival_reminder_sent_at` (NULL → now), so overlapping runs send once. Returns how many.
    """
    current = now or clock.now()
    base = clock.today_in(None, at=current)
    # Site dates are within a day of the provider's: one day of slack on each side.
    candidates = (
        Application.objects.filter(
            status=ApplicationStatus.CONFIRMED,
            arrival_reminder_sent_at__isnull=True,
            session__start_date__gt=base - dt.timedelta(days=1),
            session__start_date__lte=base + dt.timedelta(days=ARRIVAL_REMINDER_DAYS + 1),
        )
        .select_related("applicant", "session__rotation__site")
        .order_by("session__start_date", "pk")
    )
    sent = 0
    for application in candidates:
        site_zone = application.session.rotation.site.timezone
        start = application.session.start_date
        due = start - dt.timedelta(days=ARRIVAL_REMINDER_DAYS)
        if not due <= clock.today_in(site_zone, at=current) < start:
            continue
        confirmed = application.confirmed_at
        if confirmed is not None and clock.local_date(confirmed, site_zone) >= due:
            continue
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk,
                status=ApplicationStatus.CONFIRMED,
                arrival_reminder_sent_at__isnull=True,
            ).update(arrival_reminder_sent_at=current)
            if claimed:
                notify_applicant(application, "arrival_reminder")
                sent += claimed
    return sent


JOBS = [holds_expire, sessions_start, arrival_reminders_send]
