"""Periodic letters jobs (run by `run_periodic` through `letters/periodic.py`): writer
reminders before and after the due date, expiry, and the applicant's "time to ask"
reminder. Each is idempotent: a reminder is claimed by inserting its `LetterReminder` row.

Days are the provider's (`settings.TIME_ZONE`): "today" is `clock.provider_today()`, or the
provider's date of the `now=` a caller passes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send

from .. import conf
from ..models import WAITING_STATES, LetterReminder, LetterRequest, LetterStatus, ReminderKind
from ..selectors import SYSTEM, letter_drafts_to_remind, letter_requests_waiting
from .common import applicant_context, link_issue, links_kill, request_lock, writer_context


def _provider_date(instant: datetime) -> date:
    return clock.local_date(instant, settings.TIME_ZONE)


def _claim_reminder(req: LetterRequest, kind: str, offset: int) -> bool:
    """Compare-and-set: the unique row is the claim. False when someone already sent it."""
    try:
        with transaction.atomic():
            LetterReminder.objects.create(request=req, kind=kind, offset_days=offset)
    except IntegrityError:
        return False  # race or rerun: already sent
    return True


def _before_offset(req: LetterRequest, today: date) -> int | None:
    """The reminder window today falls in: the smallest offset whose day has come.

    Offsets whose day was before the request was sent never fire (the request email was
    the reminder), and a job that missed days sends one reminder, not a burst.
    """
    sent_on = _provider_date(req.requested_at) if req.requested_at else today
    due = req.due_date
    if today > due:
        return None
    eligible = [
        d
        for d in conf.reminder_days()
        if due - timedelta(days=d) <= today and due - timedelta(days=d) > sent_on
    ]
    return min(eligible) if eligible else None


def _after_offset(req: LetterRequest, today: date) -> int | None:
    eligible = [d for d in conf.reminder_after_days() if req.due_date + timedelta(days=d) <= today]
    return max(eligible) if eligible else None


def letter_reminders_send(*, now: datetime | None = None) -> int:
    """Remind writers before and after the due date. Idempotent per (request, offset).

    Stops by itself once the letter is in (only `requested`/`accepted` are considered).
    """
    now = now or clock.now()
    today = _provider_date(now)
    sent = 0
    for req in _waiting_requests():
        before = _before_offset(req, today)
        kind, offset = (
            (ReminderKind.WRITER_BEFORE, before)
            if before is not None
            else (ReminderKind.WRITER_AFTER, _after_offset(req, today))
        )
        if offset is None:
            continue
        with transaction.atomic():
            locked = request_lock(req)
            if locked.status not in WAITING_STATES:
                continue  # race: the letter arrived meanwhile
            if not _claim_reminder(locked, kind, offset):
                continue
            link = link_issue(locked, revoke_previous=False)
            locked.save(update_fields=["writer_link_expires_at", "updated_at"])
            audit_record(
                actor=None,
                action="letter_request.reminder_sent",
                target=locked,
                data={"kind": str(kind), "offset_days": offset},
            )
            email_send(
                to=[locked.writer_email],
                template="letter_reminder_writer",
                context={
                    **writer_context(locked, link),
                    "overdue": kind == ReminderKind.WRITER_AFTER,
                    "days": offset,
                },
                reply_to=[locked.applicant.email],
            )
            sent += 1
    return sent


def _waiting_requests() -> list[LetterRequest]:
    return list(letter_requests_waiting(viewer=SYSTEM).order_by("pk"))


def letter_requests_expire(*, now: datetime | None = None) -> int:
    """Requests still waiting long after their due date become `expired`; links die."""
    now = now or clock.now()
    cutoff = _provider_date(now) - conf.expire_after()
    expired = 0
    for req in _waiting_requests():
        if req.due_date >= cutoff:
            continue
        with transaction.atomic():
            locked = request_lock(req)
            if locked.status not in WAITING_STATES or locked.due_date >= cutoff:
                continue  # race: changed meanwhile
            locked.status = LetterStatus.EXPIRED
            locked.expired_at = now
            links_kill(locked)
            locked.save()
            audit_record(actor=None, action="letter_request.expired", target=locked, data={})
            email_send(
                to=[locked.applicant.email],
                template="letter_expired",
                context=applicant_context(locked),
            )
            expired += 1
    return expired


def letter_ask_reminders_send(*, now: datetime | None = None) -> int:
    """Tell applicants with a draft that the best moment to ask in person has come."""
    now = now or clock.now()
    sent = 0
    for req in letter_drafts_to_remind(viewer=SYSTEM, today=_provider_date(now)):
        with transaction.atomic():
            if not _claim_reminder(req, ReminderKind.APPLICANT_ASK, 0):
                continue
            audit_record(actor=None, action="letter_request.ask_reminder_sent", target=req, data={})
            email_send(
                to=[req.applicant.email],
                template="letter_ask_reminder",
                context=applicant_context(req),
            )
            sent += 1
    return sent
