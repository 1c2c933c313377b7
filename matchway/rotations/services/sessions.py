"""Session writes: create (one or a series), capacity, open/closed, cancel.

Capacity changes and cancellation lock the session row with `lock_for_update` inside
`booking_transaction()` (durable: call them OUTSIDE any transaction), exactly like the
booking services, so a capacity change can never race a booking.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Final

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import InvalidTransition, ValidationFailed
from matchway.core.locking import booking_transaction, lock_for_update

from ..models import Application, BookingMode, Rotation, RotationSession, SessionStatus
from ..selectors import seats_in_use
from .applications import after_commit, promote_waitlist, refuse_phi, require_coordinator
from .applications_lifecycle import application_cancel_for_session

logger = logging.getLogger("matchway.rotations")

MAX_CAPACITY: Final = 500
MAX_SERIES: Final = 52
MSG_DATES = _("The end date must be after the start date.")
MSG_DEADLINE = _("The application deadline must be on or before the start date.")
MSG_CAPACITY_RANGE = _("Seats must be between 0 and %(max)s.")
MSG_CAPACITY_BELOW_USE = _("%(used)s seats are in use; the capacity cannot go below that.")
MSG_BOOKING_MODE = _("Choose instant booking or review.")
MSG_SERIES = _("Create between 1 and %(max)s sessions, at least one week apart.")
MSG_STATUS = _("Choose open or closed (use cancel to cancel a session).")
MSG_REASON_REQUIRED = _("Please give a reason.")


def _fail(field: str, message: object) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [str(message)]})


def _check_capacity(capacity: int) -> None:
    if not isinstance(capacity, int) or not 0 <= capacity <= MAX_CAPACITY:
        raise _fail("capacity", MSG_CAPACITY_RANGE % {"max": MAX_CAPACITY})


def _check_session_fields(
    *,
    start_date: dt.date,
    end_date: dt.date,
    capacity: int,
    booking_mode: str,
    application_deadline: dt.date | None,
) -> None:
    if end_date <= start_date:
        raise _fail("end_date", MSG_DATES)
    _check_capacity(capacity)
    if booking_mode not in BookingMode.values:
        raise _fail("booking_mode", MSG_BOOKING_MODE)
    if application_deadline is not None and application_deadline > start_date:
        raise _fail("application_deadline", MSG_DEADLINE)


def session_create(
    *,
    actor: User,
    rotation: Rotation,
    start_date: dt.date,
    end_date: dt.date,
    capacity: int,
    booking_mode: str,
    application_deadline: dt.date | None = None,
    midpoint_evaluation: bool = False,
) -> RotationSession:
    """Create one open session of `rotation` (coordinator). Audited.

    Raises AccessDenied (not a coordinator) and ValidationFailed (end not after start,
    capacity outside 0…500, unknown booking mode, deadline after the start).
    """
    actor = require_coordinator(actor)
    _check_session_fields(
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        booking_mode=booking_mode,
        application_deadline=application_deadline,
    )
    with transaction.atomic():
        session = RotationSession.objects.create(
            rotation=rotation,
            start_date=start_date,
            end_date=end_date,
            capacity=capacity,
            booking_mode=booking_mode,
            application_deadline=application_deadline,
            midpoint_evaluation=midpoint_evaluation,
            status=SessionStatus.OPEN,
        )
        audit_record(
            actor=actor,
            action="session.created",
            target=session,
            data={
                "rotation": rotation.slug,
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat(),
                "capacity": capacity,
                "booking_mode": booking_mode,
            },
        )
    return session


def session_create_series(
    *,
    actor: User,
    rotation: Rotation,
    first_start: dt.date,
    every_weeks: int,
    count: int,
    capacity: int,
    booking_mode: str,
    application_deadline_days_before: int | None = None,
) -> list[RotationSession]:
    """Create `count` sessions starting `every_weeks` weeks apart, all or none.

    Each session lasts exactly `rotation.weeks` weeks: it ends on start + weeks×7 − 1 days
    (a Monday start ends on the Sunday of its last week), so back-to-back series with
    `every_weeks == rotation.weeks` never overlap. The deadline, when given, is that many
    days before each start. Same errors as `session_create`.
    """
    actor = require_coordinator(actor)
    if not 1 <= count <= MAX_SERIES or every_weeks < 1:
        raise _fail("count", MSG_SERIES % {"max": MAX_SERIES})
    if application_deadline_days_before is not None and application_deadline_days_before < 0:
        raise _fail("application_deadline_days_before", MSG_DEADLINE)
    created: list[RotationSession] = []
    with transaction.atomic():
        for index in range(count):
            start = first_start + dt.timedelta(weeks=every_weeks * index)
            end = start + dt.timedelta(days=rotation.weeks * 7 - 1)
            deadline = (
                start - dt.timedelta(days=application_deadline_days_before)
                if application_deadline_days_before is not None
                else None
            )
            created.append(
                session_create(
                    actor=actor,
                    rotation=rotation,
                    start_date=start,
                    end_date=end,
                    capacity=capacity,
                    booking_mode=booking_mode,
                    application_deadline=deadline,
                )
            )
    return created


def session_update_capacity(
    *, actor: User, session: RotationSession, capacity: int
) -> RotationSession:
    """Change the number of seats. Call OUTSIDE any transaction.

    Locks the session row, recounts seats in use and refuses to go below them
    (ValidationFailed). An increase promotes the waitlist into the new seats in the same
    transaction (those applicants are emailed after commit). Audited.
    """
    actor = require_coordinator(actor)
    _check_capacity(capacity)
    with booking_transaction():
        now = clock.now()
        locked = lock_for_update(RotationSession, [session.pk])[session.pk]
        locked.rotation = session.rotation
        used = seats_in_use(locked, now)
        if capacity < used:
            raise _fail("capacity", MSG_CAPACITY_BELOW_USE % {"used": used})
        previous = locked.capacity
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        audit_record(
            actor=actor,
            action="session.capacity_changed",
            target=locked,
            data={"from": previous, "to": capacity, "in_use": used},
        )
        if capacity > previous:
            promote_waitlist(locked, now=now)
    session.capacity = locked.capacity
    return locked


def session_set_status(*, actor: User, session: RotationSession, status: str) -> RotationSession:
    """Open or close a session for new applications. Call OUTSIDE any transaction.

    Existing applications are untouched. A cancelled session cannot be reopened
    (InvalidTransition); `cancelled` itself goes through `session_cancel`.
    """
    actor = require_coordinator(actor)
    if status not in (SessionStatus.OPEN, SessionStatus.CLOSED):
        raise _fail("status", MSG_STATUS)
    with booking_transaction():
        locked = lock_for_update(RotationSession, [session.pk])[session.pk]
        if locked.status == SessionStatus.CANCELLED:
            raise InvalidTransition()
        previous = locked.status
        if previous != status:
            locked.status = status
            locked.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action=f"session.{'opened' if status == SessionStatus.OPEN else 'closed'}",
                target=locked,
                data={"from": previous, "to": status},
            )
    session.status = locked.status
    return locked


def session_cancel(*, actor: User, session: RotationSession, reason: str) -> RotationSession:
    """Cancel a session and every live application in it; `reason` is required.

    Call OUTSIDE any transaction. Locks the session, cancels all live applications (each
    logged and audited), marks the session cancelled. After commit, emails every affected
    applicant and the rotation's preceptors. Raises AccessDenied, ValidationFailed
    (`PhiDetected` for a reason with patient identifiers), InvalidTransition (already
    cancelled).
    """
    actor = require_coordinator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", MSG_REASON_REQUIRED)
    # Emailed to every applicant and preceptor of the session: no patient identifiers.
    refuse_phi("reason", reason, people=[actor])
    with booking_transaction():
        now = clock.now()
        locked = lock_for_update(RotationSession, [session.pk])[session.pk]
        locked.rotation = session.rotation
        if locked.status == SessionStatus.CANCELLED:
            raise InvalidTransition()
        cancelled = application_cancel_for_session(locked, actor=actor, now=now, reason=reason)
        locked.status = SessionStatus.CANCELLED
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancel_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="session.cancelled",
            target=locked,
            data={"reason": reason, "applications": [a.pk for a in cancelled]},
        )

        def notify(person: Any, application: Application | None) -> None:
            context = {
                "session": locked,
                "rotation": locked.rotation,
                "reason": reason,
                "application": application,
                "person": person,
            }
            # Each notification stands alone: one that cannot be queued must not stop the
            # people after it from hearing that their session is cancelled.
            try:
                email_send(to=[person.email], template="session_cancelled", context=context)
            except Exception:
                logger.exception("session %s: a cancellation notice failed", locked.pk)

        def send() -> None:
            for application in cancelled:
                notify(application.applicant, application)
            for preceptor in locked.rotation.preceptors.all():
                notify(preceptor, None)

        after_commit(send)
    session.status = locked.status
    session.cancel_reason = locked.cancel_reason
    return locked
