"""Coordinator decisions: accept, decline, waitlist, confirm, cancel, extend a hold.

Concurrency contract: see `applications` (durable booking transaction, one session lock,
recount after locking, emails after commit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import (
    CapacityError,
    DateConflict,
    HoldExpiredError,
    InvalidTransition,
    ValidationFailed,
)
from matchway.core.locking import booking_transaction, lock_for_update

from ..models import (
    Application,
)
from ..selectors import (
    CLASH_BLOCK_STATUSES,
    application_date_clashes,
    confirmation_requirements,
    date_clash_summary,
)
from .applications import (
    MAX_HOLD_EXTENSION_HOURS,
    MSG_HOLD_HOURS,
    MSG_NOT_CONFIRMABLE,
    MSG_REASON_REQUIRED,
    MSG_UNKNOWN_ACTION,
    S,
    _free_seats,
    _lock,
    _notify_status,
    _sync,
    _transition,
    can_transition,
    notify_applicant,
    promote_waitlist,
    refuse_phi,
    require_coordinator,
)
from .invoices import invoice_issue

# --- Coordinator decisions ------------------------------------------------------------


def application_accept(*, actor: User, application: Application, message: str = "") -> Application:
    """Accept a submitted or waitlisted application: `accepted` with a seat hold.

    Call OUTSIDE any transaction. Locks the session, recounts seats and raises CapacityError
    when none is free. Raises AccessDenied (not a coordinator), InvalidTransition (wrong
    state), BusyError. Emails the applicant after commit (with `message`).
    """
    actor = require_coordinator(actor)
    refuse_phi("message", message, people=[application.applicant, actor])
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
    refuse_phi("message", message, people=[application.applicant, actor])
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
    refuse_phi("message", message, people=[application.applicant, actor])
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

    Same contract as the service it calls; an unknown action raises ValidationFailed, and
    a message that may identify a patient `PhiDetected` (every decision service checks).
    """
    service = DECISIONS.get(action)
    if service is None:
        raise ValidationFailed(MSG_UNKNOWN_ACTION, errors={"action": [str(MSG_UNKNOWN_ACTION)]})
    return service(actor=actor, application=application, message=message)


MSG_DATE_CONFLICT = _(
    "This applicant is already confirmed for these dates: %(others)s. Cancel one, or confirm "
    "anyway with a reason for the overlap (it is audited)."
)


def _date_conflict(clashes: list[Application]) -> DateConflict:
    return DateConflict(
        MSG_DATE_CONFLICT % {"others": date_clash_summary(clashes)},
        extra={
            "conflicts": [
                {
                    "application_id": other.pk,
                    "rotation": other.session.rotation.title,
                    "start_date": other.session.start_date.isoformat(),
                    "end_date": other.session.end_date.isoformat(),
                    "status": other.status,
                }
                for other in clashes
            ]
        },
    )


def application_confirm(
    *,
    actor: User,
    application: Application,
    override_reason: str = "",
    clash_override_reason: str = "",
) -> Application:
    """Confirm an accepted application whose hold is still live. Call OUTSIDE a transaction.

    Requires every required document type verified and valid through the session's end, and
    the deposit recorded (`confirmation_requirements`); otherwise raises ValidationFailed
    listing what is missing — unless `override_reason` is given, which is stored and audited
    with the list. Raises DateConflict when the applicant has another confirmed or
    in-progress application sharing a day with this session — unless `clash_override_reason`
    is given (audited with both application ids). Raises HoldExpiredError when the hold
    lapsed, InvalidTransition for other states, AccessDenied for non-coordinators. Emails the
    applicant after commit.

    Clash rule concurrency (docs/dev/booking-concurrency.md "No date clashes"): the
    applicant's user row is locked BEFORE the session, so two confirmations of one applicant
    (even in different sessions, under different session locks) run one after the other and
    the second sees the first's `confirmed` row.
    """
    actor = require_coordinator(actor)
    override_reason = (override_reason or "").strip()
    clash_override_reason = (clash_override_reason or "").strip()
    # Audited, and read by every coordinator: no patient identifiers either.
    refuse_phi("override_reason", override_reason, people=[application.applicant, actor])
    refuse_phi(
        "clash_override_reason", clash_override_reason, people=[application.applicant, actor]
    )
    with booking_transaction():
        now = clock.now()
        # Per-applicant lock first, then the session (one order everywhere: no deadlock).
        lock_for_update(User, [application.applicant_id])
        session, fresh = _lock(application)
        if fresh.status != S.ACCEPTED:
            raise InvalidTransition()
        if fresh.hold_expires_at is None or fresh.hold_expires_at <= now:
            raise HoldExpiredError()
        clashes = application_date_clashes(
            applicant_id=fresh.applicant_id,
            start_date=session.start_date,
            end_date=session.end_date,
            statuses=CLASH_BLOCK_STATUSES,
            exclude_pk=fresh.pk,
        )
        if clashes and not clash_override_reason:
            raise _date_conflict(clashes)
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
        invoice_issue(fresh)  # the final invoice, numbered in this transaction
        if missing:
            audit_record(
                actor=actor,
                action="application.confirm_override",
                target=fresh,
                data={"reason": override_reason, "missing": missing},
            )
        if clashes:
            audit_record(
                actor=actor,
                action="application.confirm_clash_override",
                target=fresh,
                data={
                    "reason": clash_override_reason,
                    "application_id": fresh.pk,
                    "other_application_ids": [other.pk for other in clashes],
                },
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
    refuse_phi("reason", reason, people=[application.applicant, actor])
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
