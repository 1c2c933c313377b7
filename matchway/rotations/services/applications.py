"""Application status machine shared by the application services: the legal moves,
locking, transitions, notifications and the waitlist. The services themselves live in
`applications_submit` (applicant), `applications_decide` (coordinator) and
`applications_lifecycle` (start, complete, expiry, session cancellation).

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
from collections.abc import Callable, Iterable
from typing import Any, Final, Literal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    PhiDetected,
    SessionClosed,
    ValidationFailed,
)
from matchway.core.links import absolute_url
from matchway.core.locking import lock_for_update
from matchway.phi.guard import phi_scan_fields

from ..arrival import arrival_for
from ..models import (
    LIVE_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    RotationSession,
    SessionStatus,
)
from ..selectors import seats_in_use, waitlist_position

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
        "dashboard_url": absolute_url("/dashboard/"),
        **extra,
    }


# Emails that carry the arrival block (templates/emails/_arrival.*): the applicant's seat is
# confirmed, so the badge and EHR steps may be shown.
ARRIVAL_EMAILS: Final = frozenset({"application_confirmed", "arrival_reminder"})


def arrival_email_context(application: Application) -> dict[str, Any]:
    arrival = arrival_for(application.session)
    site_time, applicant_time = arrival.first_day_labels(application.applicant.timezone)
    return {
        "arrival": arrival,
        "arrival_site_time": site_time,
        "arrival_your_time": applicant_time,
        "application_url": absolute_url("rotations:application", application.pk),
    }


def notify_applicant(application: Application, template: str, **extra: Any) -> None:
    """Email the applicant about their application after the transaction commits."""

    def send() -> None:
        context = _email_context(application, **extra)
        if template in ARRIVAL_EMAILS:
            context.update(arrival_email_context(application))
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


def refuse_phi(field: str, text: str, *, people: Iterable[User | None]) -> None:
    """Raise `PhiDetected` when `text` (read by the other side: a decision message, a
    withdrawal or cancellation reason) may identify a patient.

    The people the text is between (`people`: the applicant, the coordinator) and
    physician-titled names are not findings. Call before anything is stored or sent.
    """
    known = [u for u in people if u is not None]
    PhiDetected.raise_if(
        phi_scan_fields(
            {field: text},
            parties=[u.get_full_name() for u in known],
            known=[u.email for u in known],
            physicians=True,
        )
    )
