"""Application lifecycle: submit, decide, confirm, withdraw, cancel, start, complete.

Concurrency contract (docs/dev/booking-concurrency.md): every service that changes an
application's status opens `booking_transaction()` (durable: call it OUTSIDE any
transaction), locks the session row once with `lock_for_update`, re-reads the application
under that lock, recounts seats when it consumes one, and writes. Freeing a seat promotes
the waitlist head(s) in the same transaction under the same lock. Emails are rendered and
sent after commit; a rolled-back transaction sends nothing.

Every transition goes through `_transition`, which consults `TRANSITIONS` (the one table of
legal moves), stamps the timestamp fields, writes an `ApplicationEvent` and an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    AccessDenied,
    AlreadyApplied,
    CapacityError,
    HoldExpiredError,
    InvalidTransition,
    NotFound,
    SessionClosed,
    ValidationFailed,
)
from matchway.core.locking import booking_transaction, lock_for_update

from ..models import (
    LIVE_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    BookingMode,
    RotationSession,
    SessionStatus,
)
from ..selectors import confirmation_requirements, seats_in_use, waitlist_position

S = ApplicationStatus
NEW: Final = ""

# The one table of legal moves (DESIGN.md "States and seat arithmetic"). Who may make a move
# is checked by each service; this table only says whether the move exists at all.
TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    NEW: frozenset({S.SUBMITTED, S.ACCEPTED, S.WAITLISTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.DECLINED, S.WAITLISTED, S.WITHDRAWN, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.EXPIRED, S.WITHDRAWN, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.IN_PROGRESS, S.WITHDRAWN, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.WITHDRAWN, S.CANCELLED}),
}
TERMINAL: Final = frozenset({S.COMPLETED, S.DECLINED, S.WITHDRAWN, S.EXPIRED, S.CANCELLED})

# The email each new status sends to the applicant (templates/emails/<name>.*).
STATUS_EMAILS: Final[dict[str, str]] = {
    S.SUBMITTED: "application_submitted",
    S.ACCEPTED: "application_accepted",
    S.WAITLISTED: "application_waitlisted",
    S.DECLINED: "application_declined",
    S.CONFIRMED: "application_confirmed",
    S.IN_PROGRESS: "application_started",
    S.COMPLETED: "application_completed",
    S.WITHDRAWN: "application_withdrawn",
    S.EXPIRED: "application_expired",
    S.CANCELLED: "application_cancelled",
}

MSG_NOT_APPLICANT = _("Only applicants can apply to rotations.")
MSG_COORDINATOR_ONLY = _("Only coordinators can do this.")
MSG_STUDENTS_ONLY = _("This rotation is open to enrolled students only.")
MSG_GRADUATES_ONLY = _("This rotation is open to graduates only.")
MSG_NOBODY_ELIGIBLE = _("This rotation is not taking applicants at the moment.")
MSG_MOTIVATION_TOO_LONG = _("Please keep your motivation under 4,000 characters.")
MSG_REFERRAL_TOO_LONG = _("Please keep this under 200 characters.")
MSG_REASON_REQUIRED = _("Please give a reason.")
MSG_NOT_CONFIRMABLE = _("The application cannot be confirmed yet: %(missing)s.")
MSG_NOT_STARTED = _("The rotation starts on %(date)s.")
MSG_NOT_ENDED = _("The rotation ends on %(date)s; complete it from that day on.")
MSG_HOLD_HOURS = _("Extend a hold by 1 to %(max)s hours.")
MSG_UNKNOWN_ACTION = _("Choose accept, decline or waitlist.")
MSG_PROMOTED = _("A seat became free and the waitlist moved up.")

MAX_MOTIVATION = 4000
MAX_REFERRAL = 200
MAX_HOLD_EXTENSION_HOURS = 24 * 14

Action = Literal["accept", "decline", "waitlist"]


# --- Helpers --------------------------------------------------------------------------


def _require_role(actor: User | None, role: str, message: object = None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.role != role:
        raise AccessDenied(message)
    return actor


def require_coordinator(actor: User | None) -> User:
    return _require_role(actor, Role.COORDINATOR, MSG_COORDINATOR_ONLY)


def site_today(session: RotationSession) -> dt.date:
    """Today's date where the rotation happens (session dates are the site's local dates)."""
    return clock.site_today(session.rotation.site)


def can_transition(application: Application, to_status: str) -> bool:
    """Whether the table allows `application` to move to `to_status` (ignores who asks)."""
    return to_status in TRANSITIONS.get(application.status, frozenset())


def _has_live_application(applicant: User, session: RotationSession) -> bool:
    return Application.objects.filter(
        applicant=applicant, session=session, status__in=LIVE_STATUSES
    ).exists()


def _lock(application: Application) -> tuple[RotationSession, Application]:
    """Lock the application's session, then re-read the application under the lock.

    Every status write happens under its session's lock, so the status read here cannot
    change until we commit (on SQLite the IMMEDIATE transaction already serializes writers).
    """
    session = lock_for_update(RotationSession, [application.session_id])[application.session_id]
    fresh = Application.objects.select_related("applicant", "session__rotation__site").get(
        pk=application.pk
    )
    session.rotation = fresh.session.rotation  # already loaded; saves queries under the lock
    fresh.session = session  # the locked, fresh row (capacity, status)
    return session, fresh


def _sync(target: Application, source: Application) -> Application:
    """Copy the committed field values back onto the caller's instance; return `source`."""
    for model_field in Application._meta.concrete_fields:
        setattr(target, model_field.attname, getattr(source, model_field.attname))
    return source


def _free_seats(session: RotationSession, now: dt.datetime) -> int:
    return session.capacity - seats_in_use(session, now)


def _hold_until(session: RotationSession, now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=session.rotation.hold_hours)


def _transition(
    application: Application,
    to_status: str,
    *,
    actor: User | None,
    now: dt.datetime,
    reason: str = "",
) -> str:
    """Move `application` to `to_status` (saved), log it, audit it. Returns the old status.

    The caller holds the session lock. Raises InvalidTransition for a move not in the table.
    """
    from_status = application.status if application.pk else NEW
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise InvalidTransition()
    application.status = to_status
    if to_status == S.ACCEPTED:
        application.hold_expires_at = _hold_until(application.session, now)
        application.decided_at = now
    elif to_status == S.WAITLISTED:
        application.waitlisted_at = now
        if from_status != NEW:
            application.decided_at = now
    elif to_status == S.CONFIRMED:
        application.confirmed_at = now
    elif to_status == S.IN_PROGRESS:
        application.started_at = now
    elif to_status == S.COMPLETED:
        application.completed_at = now
    if to_status == S.DECLINED:
        application.decided_at = now
    if to_status in TERMINAL and to_status != S.COMPLETED:
        application.closed_at = now
        application.status_reason = reason
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=f"application.{to_status}",
        target=application,
        data={"from": from_status or None, "to": to_status, "reason": reason},
    )
    return from_status


def _coordinator_emails() -> list[str]:
    from matchway.accounts.selectors import user_list_by_role

    return list(user_list_by_role(Role.COORDINATOR).values_list("email", flat=True))


def after_commit(callback: Callable[[], None]) -> None:
    # Render and send after commit: never hold the seat lock while building emails, and a
    # failing mail server must not turn a committed booking into an error (robust=True).
    transaction.on_commit(callback, robust=True)


def _email_context(application: Application, **extra: Any) -> dict[str, Any]:
    session = application.session
    return {
        "application": application,
        "applicant": application.applicant,
        "session": session,
        "rotation": session.rotation,
        "dashboard_url": f"{settings.SITE_URL}/dashboard/",
        **extra,
    }


def notify_applicant(application: Application, template: str, **extra: Any) -> None:
    """Email the applicant about their application after the transaction commits."""

    def send() -> None:
        context = _email_context(application, **extra)
        if application.status == S.WAITLISTED:
            context.setdefault("waitlist_position", waitlist_position(application))
        email_send(to=[application.applicant.email], template=template, context=context)

    after_commit(send)


def _notify_status(application: Application, **extra: Any) -> None:
    template = STATUS_EMAILS.get(application.status)
    if template:
        notify_applicant(application, template, **extra)


def _notify_coordinators_new(application: Application) -> None:
    def send() -> None:
        email_send(
            to=_coordinator_emails(),
            template="application_received",
            context=_email_context(application),
        )

    after_commit(send)


def promote_waitlist(
    session: RotationSession, *, now: dt.datetime, reason: object = MSG_PROMOTED
) -> list[Application]:
    """Give every free seat to the head of the waitlist (`waitlisted` → `accepted` + hold).

    The caller holds the session lock (from `lock_for_update`) and passes the locked row, so
    the seat that was freed in this transaction goes to the waitlist before anyone else can
    see it free. Does nothing for cancelled or finished sessions. Emails after commit.
    """
    if session.status == SessionStatus.CANCELLED or session.end_date < site_today(session):
        return []
    free = _free_seats(session, now)
    if free <= 0:
        return []
    heads = list(
        Application.objects.select_related("applicant")
        .filter(session_id=session.pk, status=S.WAITLISTED)
        .order_by("waitlisted_at", "pk")[:free]
    )
    for application in heads:
        application.session = session
        _transition(application, S.ACCEPTED, actor=None, now=now, reason=str(reason))
        _notify_status(application, promoted=True)
    return heads


def _validate_text(value: str, limit: int, field: str, message: object) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise ValidationFailed(message, errors={field: [str(message)]})
    return cleaned


def _check_eligibility(actor: User, session: RotationSession) -> None:
    rotation = session.rotation
    profile = getattr(actor, "applicant_profile", None)
    is_graduate = bool(profile and profile.is_graduate)
    if not rotation.graduates_allowed and not rotation.students_allowed:
        raise ValidationFailed(MSG_NOBODY_ELIGIBLE, errors={"__all__": [str(MSG_NOBODY_ELIGIBLE)]})
    if is_graduate and not rotation.graduates_allowed:
        raise ValidationFailed(MSG_STUDENTS_ONLY, errors={"__all__": [str(MSG_STUDENTS_ONLY)]})
    if not is_graduate and not rotation.students_allowed:
        raise ValidationFailed(MSG_GRADUATES_ONLY, errors={"__all__": [str(MSG_GRADUATES_ONLY)]})


def _check_open(session: RotationSession) -> None:
    if not session.rotation.published or not session.accepts_applications:
        raise SessionClosed()


# --- Applicant services ---------------------------------------------------------------


def application_submit(
    *,
    actor: User,
    session: RotationSession,
    motivation: str = "",
    referral_source: str = "",
    consent_share_documents: bool = False,
    waitlist: bool = False,
) -> Application:
    """Apply to `session` as `actor` (an applicant). Call OUTSIDE any transaction.

    Review mode: creates a `submitted` application (no seat). Instant mode: inside a durable
    booking transaction, locks the session row, recounts seats in use and creates an
    `accepted` application with a hold of `rotation.hold_hours` when a seat is free and
    nobody is waitlisted; otherwise a `waitlisted` one if `waitlist` is true, else raises
    CapacityError. Raises AccessDenied (not an applicant), ValidationFailed (ineligible or
    too-long text), SessionClosed (not taking applications, also re-checked under the lock),
    AlreadyApplied (a live application exists — also when the database's unique constraint
    catches a concurrent duplicate), BusyError (lock timeout). Emails the applicant and the
    coordinators after commit.
    """
    actor = _require_role(actor, Role.APPLICANT, MSG_NOT_APPLICANT)
    motivation = _validate_text(motivation, MAX_MOTIVATION, "motivation", MSG_MOTIVATION_TOO_LONG)
    referral_source = _validate_text(
        referral_source, MAX_REFERRAL, "referral_source", MSG_REFERRAL_TOO_LONG
    )
    _check_open(session)
    _check_eligibility(actor, session)
    # Cheap early answer; the authoritative checks are the re-check under the lock and the
    # conditional unique constraint.
    if _has_live_application(actor, session):
        raise AlreadyApplied()
    try:
        with booking_transaction():
            now = clock.now()
            if session.booking_mode == BookingMode.INSTANT:
                locked = lock_for_update(RotationSession, [session.pk])[session.pk]
                locked.rotation = session.rotation
                _check_open(locked)
                if _has_live_application(actor, locked):
                    raise AlreadyApplied()
                # Recount AFTER the lock: only now is the number stable until commit.
                free = _free_seats(locked, now)
                queue = Application.objects.filter(session_id=locked.pk, status=S.WAITLISTED)
                if free > 0 and not queue.exists():
                    status = S.ACCEPTED
                elif waitlist:
                    status = S.WAITLISTED
                else:
                    raise CapacityError()
                target = locked
            else:
                status = S.SUBMITTED
                target = session
            application = Application(
                applicant=actor,
                session=target,
                motivation=motivation,
                referral_source=referral_source,
                consent_share_documents=consent_share_documents,
                submitted_at=now,
            )
            application.status = NEW
            _transition(application, status, actor=actor, now=now)
            _notify_status(application)
            _notify_coordinators_new(application)
    except IntegrityError as exc:
        # The conditional UniqueConstraint caught a concurrent duplicate (review mode takes
        # no lock, and it backs up the instant-mode re-check).
        if _has_live_application(actor, session):
            raise AlreadyApplied() from exc
        raise
    return application


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    """The applicant withdraws their live application. Call OUTSIDE any transaction.

    Locks the session; if a seat is freed, the waitlist head is promoted in the same
    transaction. Raises NotFound for anyone but the owner, InvalidTransition when the
    application is no longer live. Emails the applicant (and a promoted applicant).
    """
    if actor is None or application.applicant_id != actor.pk:
        raise NotFound()
    reason = _validate_text(reason, 2000, "reason", MSG_MOTIVATION_TOO_LONG)
    with booking_transaction():
        now = clock.now()
        session, fresh = _lock(application)
        _transition(fresh, S.WITHDRAWN, actor=actor, now=now, reason=reason)
        promote_waitlist(session, now=now)
        _notify_status(fresh)
    return _sync(application, fresh)


# --- Coordinator decisions ------------------------------------------------------------


def application_accept(*, actor: User, application: Application, message: str = "") -> Application:
    """Accept a submitted or waitlisted application: `accepted` with a seat hold.

    Call OUTSIDE any transaction. Locks the session, recounts seats and raises CapacityError
    when none is free. Raises AccessDenied (not a coordinator), InvalidTransition (wrong
    state), BusyError. Emails the applicant after commit (with `message`).
    """
    actor = require_coordinator(actor)
    with booking_transaction():
        now = clock.now()
        session, fresh = _lock(application)
        if not can_transition(fresh, S.ACCEPTED):
            raise InvalidTransition()
        if _free_seats(session, now) <= 0:
            raise CapacityError()
        _transition(fresh, S.ACCEPTED, actor=actor, now=now, reason=message.strip())
        _notify_status(fresh, message=message.strip())
    return _sync(application, fresh)


def application_decline(*, actor: User, application: Application, message: str = "") -> Application:
    """Decline a submitted or waitlisted application. Call OUTSIDE any transaction.

    Takes the session lock (all status writes do) and promotes the waitlist if that leaves a
    free seat. Raises AccessDenied, InvalidTransition. Emails the applicant after commit.
    """
    actor = require_coordinator(actor)
    with booking_transaction():
        now = clock.now()
        session, fresh = _lock(application)
        _transition(fresh, S.DECLINED, actor=actor, now=now, reason=message.strip())
        promote_waitlist(session, now=now)
        _notify_status(fresh, message=message.strip())
    return _sync(application, fresh)


def application_waitlist(
    *, actor: User, application: Application, message: str = ""
) -> Application:
    """Put a submitted application on the waitlist (its place is taken now).

    Call OUTSIDE any transaction. Raises AccessDenied, InvalidTransition. Emails the
    applicant their position after commit.
    """
    actor = require_coordinator(actor)
    with booking_transaction():
        now = clock.now()
        _session, fresh = _lock(application)
        if fresh.status != S.SUBMITTED:
            raise InvalidTransition()
        _transition(fresh, S.WAITLISTED, actor=actor, now=now, reason=message.strip())
        _notify_status(fresh, message=message.strip())
    return _sync(application, fresh)


DECISIONS: Final[dict[str, Callable[..., Application]]] = {
    "accept": application_accept,
    "decline": application_decline,
    "waitlist": application_waitlist,
}


def application_decide(
    *, actor: User, application: Application, action: str, message: str = ""
) -> Application:
    """Dispatch a coordinator decision (`accept`, `decline` or `waitlist`).

    Same contract as the service it calls; an unknown action raises ValidationFailed.
    """
    service = DECISIONS.get(action)
    if service is None:
        raise ValidationFailed(MSG_UNKNOWN_ACTION, errors={"action": [str(MSG_UNKNOWN_ACTION)]})
    return service(actor=actor, application=application, message=message)


def application_confirm(
    *, actor: User, application: Application, override_reason: str = ""
) -> Application:
    """Confirm an accepted application whose hold is still live. Call OUTSIDE a transaction.

    Requires every required document type verified and valid through the session's end, and
    the deposit recorded (`confirmation_requirements`); otherwise raises ValidationFailed
    listing what is missing — unless `override_reason` is given, which is stored and audited
    with the list. Raises HoldExpiredError when the hold lapsed, InvalidTransition for other
    states, AccessDenied for non-coordinators. Emails the applicant after commit.
    """
    actor = require_coordinator(actor)
    override_reason = (override_reason or "").strip()
    with booking_transaction():
        now = clock.now()
        _session, fresh = _lock(application)
        if fresh.status != S.ACCEPTED:
            raise InvalidTransition()
        if fresh.hold_expires_at is None or fresh.hold_expires_at <= now:
            raise HoldExpiredError()
        requirements = confirmation_requirements(fresh)
        missing = requirements.missing
        if missing and not override_reason:
            text = MSG_NOT_CONFIRMABLE % {"missing": "; ".join(missing)}
            errors: dict[str, list[str]] = {}
            documents = [f"{i.type_name}: {i.status}" for i in requirements.documents if not i.ok]
            if documents:
                errors["documents"] = documents
            if not requirements.deposit_ok:
                errors["deposit"] = [missing[-1]]
            raise ValidationFailed(text, errors=errors)
        if missing:
            fresh.confirm_override_reason = override_reason
        _transition(fresh, S.CONFIRMED, actor=actor, now=now, reason=override_reason)
        if missing:
            audit_record(
                actor=actor,
                action="application.confirm_override",
                target=fresh,
                data={"reason": override_reason, "missing": missing},
            )
        _notify_status(fresh)
    return _sync(application, fresh)


def application_cancel(*, actor: User, application: Application, reason: str) -> Application:
    """Cancel a live application (no-show, dismissal, …); `reason` is required.

    Call OUTSIDE any transaction. Locks the session and promotes the waitlist into the freed
    seat in the same transaction. Raises AccessDenied, ValidationFailed (no reason),
    InvalidTransition. Emails the applicant after commit.
    """
    actor = require_coordinator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(MSG_REASON_REQUIRED, errors={"reason": [str(MSG_REASON_REQUIRED)]})
    with booking_transaction():
        now = clock.now()
        session, fresh = _lock(application)
        _transition(fresh, S.CANCELLED, actor=actor, now=now, reason=reason)
        promote_waitlist(session, now=now)
        _notify_status(fresh, reason=reason)
    return _sync(application, fresh)


def application_extend_hold(*, actor: User, application: Application, hours: int) -> Application:
    """Push a live hold's expiry back by `hours` (1 … 336). Call OUTSIDE any transaction.

    Only before the hold lapses: a lapsed hold may already be counted as a free seat by
    someone else, so extending it then could overbook (HoldExpiredError). Raises AccessDenied,
    InvalidTransition (not `accepted`), ValidationFailed (hours out of range). Audited;
    emails the applicant the new deadline.
    """
    actor = require_coordinator(actor)
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOLD_EXTENSION_HOURS:
        message = MSG_HOLD_HOURS % {"max": MAX_HOLD_EXTENSION_HOURS}
        raise ValidationFailed(message, errors={"hours": [str(message)]})
    with booking_transaction():
        now = clock.now()
        _session, fresh = _lock(application)
        if fresh.status != S.ACCEPTED:
            raise InvalidTransition()
        if fresh.hold_expires_at is None or fresh.hold_expires_at <= now:
            raise HoldExpiredError()
        previous = fresh.hold_expires_at
        fresh.hold_expires_at = previous + dt.timedelta(hours=hours)
        fresh.save(update_fields=["hold_expires_at", "updated_at"])
        audit_record(
            actor=actor,
            action="application.hold_extended",
            target=fresh,
            data={
                "hours": hours,
                "from": previous.isoformat(),
                "to": fresh.hold_expires_at.isoformat(),
            },
        )
        notify_applicant(fresh, "application_hold_extended")
    return _sync(application, fresh)


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
