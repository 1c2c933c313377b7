"""Applicant services: submit an application, withdraw it.

Concurrency contract: see `applications` (durable booking transaction, one session lock,
recount after locking, emails after commit).
"""

from __future__ import annotations

from django.db import IntegrityError

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.exceptions import (
    AlreadyApplied,
    CapacityError,
    NotFound,
    PhiDetected,
)
from matchway.core.locking import booking_transaction, lock_for_update
from matchway.phi.guard import phi_scan_fields

from ..models import (
    Application,
    BookingMode,
    RotationSession,
)
from .applications import (
    MAX_MOTIVATION,
    MAX_REFERRAL,
    MSG_MOTIVATION_TOO_LONG,
    MSG_NOT_APPLICANT,
    MSG_REFERRAL_TOO_LONG,
    NEW,
    S,
    _check_eligibility,
    _check_open,
    _free_seats,
    _has_live_application,
    _lock,
    _notify_coordinators_new,
    _notify_status,
    _require_role,
    _sync,
    _transition,
    _validate_text,
    promote_waitlist,
    refuse_phi,
)

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
    # Coordinators read both: refuse possible patient identifiers before storing. The
    # applicant's own name and physicians they learned from are not findings.
    PhiDetected.raise_if(
        phi_scan_fields(
            {"motivation": motivation, "referral_source": referral_source},
            parties=[actor.get_full_name()],
            known=[actor.email],
            physicians=True,
        )
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
    # Coordinators read the reason: refuse possible patient identifiers (PhiDetected).
    refuse_phi("reason", reason, people=[actor])
    with booking_transaction():
        now = clock.now()
        session, fresh = _lock(application)
        _transition(fresh, S.WITHDRAWN, actor=actor, now=now, reason=reason)
        promote_waitlist(session, now=now)
        _notify_status(fresh)
    return _sync(application, fresh)
