"""During and after the rotation: start, complete, expire lapsed holds, cancel with a session.

Concurrency contract: see `applications` (durable booking transaction, one session lock,
recount after locking, emails after commit).
"""

from __future__ import annotations

import datetime as dt

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from matchway.core.locking import booking_transaction

from ..models import (
    LIVE_STATUSES,
    Application,
    RotationSession,
)
from .applications import (
    MSG_NOT_ENDED,
    MSG_NOT_STARTED,
    S,
    _lock,
    _notify_status,
    _sync,
    _transition,
    promote_waitlist,
    require_coordinator,
    site_today,
)

# --- During and after the rotation ----------------------------------------------------


def application_start(*, actor: User | None, application: Application) -> Application:
    """Mark a confirmed application `in_progress` on or after the session's start date.

    `actor` is a coordinator, or None when the system (`sessions_start`) does it. Call
    OUTSIDE any transaction. Raises AccessDenied, InvalidTransition, ValidationFailed
    (before the start date, in the site's time zone). Emails the applicant.
    """
    if actor is not None:
        require_coordinator(actor)
    with booking_transaction():
        now = clock.now()
        session, fresh = _lock(application)
        if fresh.status != S.CONFIRMED:
            raise InvalidTransition()
        if site_today(session) < session.start_date:
            message = MSG_NOT_STARTED % {"date": session.start_date.isoformat()}
            raise ValidationFailed(message, errors={"__all__": [message]})
        _transition(fresh, S.IN_PROGRESS, actor=actor, now=now)
        _notify_status(fresh)
    return _sync(application, fresh)


def application_complete(*, actor: User, application: Application) -> Application:
    """Mark an in-progress application `completed`, from the session's last day on.

    `actor` is a coordinator or a preceptor of the rotation (another preceptor gets NotFound:
    hidden means 404). `end_date` is the last day of the rotation, so completion is allowed
    on it (attendance for the final day can be confirmed that evening). Call OUTSIDE any
    transaction. Raises AccessDenied, NotFound, InvalidTransition, ValidationFailed.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise AccessDenied()
    if actor.role == Role.PRECEPTOR:
        precepts = RotationSession.objects.filter(
            pk=application.session_id, rotation__preceptors=actor
        ).exists()
        if not precepts:
            raise NotFound()
    elif actor.role != Role.COORDINATOR:
        raise AccessDenied()
    with booking_transaction():
        now = clock.now()
        session, fresh = _lock(application)
        if fresh.status != S.IN_PROGRESS:
            raise InvalidTransition()
        if site_today(session) < session.end_date:
            message = MSG_NOT_ENDED % {"date": session.end_date.isoformat()}
            raise ValidationFailed(message, errors={"__all__": [message]})
        _transition(fresh, S.COMPLETED, actor=actor, now=now)
        _notify_status(fresh)
    return _sync(application, fresh)


def application_expire_lapsed(session: RotationSession, *, now: dt.datetime) -> int:
    """Mark lapsed holds of `session` `expired` and promote the waitlist. Returns the count.

    The caller holds the session lock inside a booking transaction (see `periodic.py`).
    Compare-and-set: only rows still `accepted` with `hold_expires_at <= now` under the lock
    are touched, so overlapping runs and concurrent extends cannot double-expire.
    """
    lapsed = list(
        Application.objects.select_related("applicant")
        .filter(session_id=session.pk, status=S.ACCEPTED, hold_expires_at__lte=now)
        .order_by("hold_expires_at", "pk")
    )
    for application in lapsed:
        application.session = session
        _transition(application, S.EXPIRED, actor=None, now=now, reason="hold lapsed")
        _notify_status(application)
    promote_waitlist(session, now=now)
    return len(lapsed)


def application_cancel_for_session(
    session: RotationSession, *, actor: User, now: dt.datetime, reason: str
) -> list[Application]:
    """Cancel every live application of a (locked) session; used by `session_cancel`.

    The caller holds the session lock. Emails are sent by the caller (one session email).
    """
    live = list(
        Application.objects.select_related("applicant").filter(
            session_id=session.pk, status__in=LIVE_STATUSES
        )
    )
    for application in live:
        application.session = session
        _transition(application, S.CANCELLED, actor=actor, now=now, reason=reason)
    return live
