from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from matchway.accounts.models import User
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Rotation,
    RotationSession,
    SessionStatus,
)
from matchway.rotations.selectors import seats_available, seats_in_use
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.services.sessions import (
    session_cancel,
    session_create,
    session_create_series,
    session_set_status,
    session_update_capacity,
)

from .helpers import assert_email, audit_actions

S = ApplicationStatus


def test_create_session(coordinator: User, rotation: Rotation) -> None:
    start = timezone.localdate() + dt.timedelta(days=30)
    session = session_create(
        actor=coordinator,
        rotation=rotation,
        start_date=start,
        end_date=start + dt.timedelta(days=27),
        capacity=4,
        booking_mode="instant",
        application_deadline=start - dt.timedelta(days=7),
        midpoint_evaluation=True,
    )
    assert session.status == SessionStatus.OPEN
    assert session.midpoint_evaluation
    assert audit_actions(session) == ["session.created"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_offset": 0}, "end_date"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 501}, "capacity"),
        ({"booking_mode": "lottery"}, "booking_mode"),
        ({"deadline_offset": 1}, "application_deadline"),
    ],
)
def test_create_session_validates(
    change: dict[str, Any], field: str, coordinator: User, rotation: Rotation
) -> None:
    start = timezone.localdate() + dt.timedelta(days=30)
    deadline_offset = change.get("deadline_offset")
    with pytest.raises(ValidationFailed) as excinfo:
        session_create(
            actor=coordinator,
            rotation=rotation,
            start_date=start,
            end_date=start + dt.timedelta(days=change.get("end_offset", 27)),
            capacity=change.get("capacity", 4),
            booking_mode=change.get("booking_mode", "review"),
            application_deadline=start + dt.timedelta(days=deadline_offset)
            if deadline_offset
            else None,
        )
    assert field in excinfo.value.errors


def test_only_coordinators_create_sessions(applicant: User, rotation: Rotation) -> None:
    start = timezone.localdate()
    with pytest.raises(AccessDenied):
        session_create(
            actor=applicant,
            rotation=rotation,
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            capacity=1,
            booking_mode="review",
        )


def test_series_runs_back_to_back(coordinator: User, rotation: Rotation) -> None:
    first = dt.date(2031, 1, 6)  # a Monday
    sessions = session_create_series(
        actor=coordinator,
        rotation=rotation,
        first_start=first,
        every_weeks=4,
        count=3,
        capacity=3,
        booking_mode="instant",
        application_deadline_days_before=14,
    )
    assert [s.start_date for s in sessions] == [
        dt.date(2031, 1, 6),
        dt.date(2031, 2, 3),
        dt.date(2031, 3, 3),
    ]
    # rotation.weeks == 4: ends on the Sunday of the fourth week, the day before the next.
    assert [s.end_date for s in sessions] == [
        dt.date(2031, 2, 2),
        dt.date(2031, 3, 2),
        dt.date(2031, 3, 30),
    ]
    assert sessions[0].application_deadline == dt.date(2030, 12, 23)


@pytest.mark.parametrize(("count", "every"), [(0, 4), (53, 4), (2, 0)])
def test_series_bounds(count: int, every: int, coordinator: User, rotation: Rotation) -> None:
    with pytest.raises(ValidationFailed):
        session_create_series(
            actor=coordinator,
            rotation=rotation,
            first_start=dt.date(2031, 1, 6),
            every_weeks=every,
            count=count,
            capacity=3,
            booking_mode="instant",
        )
    assert not RotationSession.objects.exists()


def test_capacity_cannot_drop_below_seats_in_use(
    coordinator: User, make_applicant: Callable[..., User], instant_session: RotationSession
) -> None:
    for _ in range(2):
        application_submit(actor=make_applicant(), session=instant_session)
    with pytest.raises(ValidationFailed, match="2 seats are in use"):
        session_update_capacity(actor=coordinator, session=instant_session, capacity=1)
    instant_session.refresh_from_db()
    assert instant_session.capacity == 2


def test_capacity_can_drop_to_seats_in_use(
    coordinator: User, make_applicant: Callable[..., User], rotation: Rotation
) -> None:
    session = RotationSession.objects.create(
        rotation=rotation,
        start_date=timezone.localdate() + dt.timedelta(days=30),
        end_date=timezone.localdate() + dt.timedelta(days=50),
        capacity=5,
        booking_mode="instant",
    )
    application_submit(actor=make_applicant(), session=session)
    updated = session_update_capacity(actor=coordinator, session=session, capacity=1)
    assert updated.capacity == session.capacity == 1
    assert seats_available(updated) == 0
    assert audit_actions(updated)[-1] == "session.capacity_changed"


def test_capacity_increase_promotes_the_waitlist(
    coordinator: User,
    make_applicant: Callable[..., User],
    instant_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    for _ in range(2):
        application_submit(actor=make_applicant(), session=instant_session)
    queue = [
        application_submit(actor=make_applicant(), session=instant_session, waitlist=True)
        for _ in range(3)
    ]
    with committed():
        session_update_capacity(actor=coordinator, session=instant_session, capacity=4)
    statuses = [Application.objects.get(pk=a.pk).status for a in queue]
    assert statuses == [S.ACCEPTED, S.ACCEPTED, S.WAITLISTED]
    assert seats_in_use(instant_session) == 4
    assert {m.to[0] for m in mailoutbox} == {queue[0].applicant.email, queue[1].applicant.email}


def test_set_status(coordinator: User, instant_session: RotationSession) -> None:
    session_set_status(actor=coordinator, session=instant_session, status="closed")
    assert instant_session.status == SessionStatus.CLOSED
    assert not instant_session.accepts_applications
    session_set_status(actor=coordinator, session=instant_session, status="open")
    assert audit_actions(instant_session) == ["session.closed", "session.opened"]
    with pytest.raises(ValidationFailed):
        session_set_status(actor=coordinator, session=instant_session, status="cancelled")


def test_cancelled_session_cannot_reopen(
    coordinator: User, instant_session: RotationSession
) -> None:
    session_cancel(actor=coordinator, session=instant_session, reason="Preceptor ill")
    with pytest.raises(InvalidTransition):
        session_set_status(actor=coordinator, session=instant_session, status="open")
    with pytest.raises(InvalidTransition):
        session_cancel(actor=coordinator, session=instant_session, reason="Again")


def test_cancel_session_cancels_everyone_and_tells_them(
    coordinator: User,
    preceptor: User,
    make_applicant: Callable[..., User],
    instant_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    live = [application_submit(actor=make_applicant(), session=instant_session) for _ in range(2)]
    live.append(application_submit(actor=make_applicant(), session=instant_session, waitlist=True))
    with committed():
        session_cancel(actor=coordinator, session=instant_session, reason="Preceptor ill")
    assert instant_session.status == SessionStatus.CANCELLED
    assert instant_session.cancel_reason == "Preceptor ill"
    assert {Application.objects.get(pk=a.pk).status for a in live} == {S.CANCELLED}
    assert seats_in_use(instant_session) == 0
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([a.applicant.email for a in live] + [preceptor.email])
    for message in mailoutbox:
        assert_email(message, message.to[0], "Session cancelled")
        assert "Preceptor ill" in message.body
    assert "session.cancelled" in audit_actions(instant_session)


@pytest.mark.parametrize("role", ["applicant", "preceptor"])
def test_only_coordinators_manage_sessions(
    role: str, request: pytest.FixtureRequest, instant_session: RotationSession
) -> None:
    actor = request.getfixturevalue(role)
    with pytest.raises(AccessDenied):
        session_update_capacity(actor=actor, session=instant_session, capacity=9)
    with pytest.raises(AccessDenied):
        session_set_status(actor=actor, session=instant_session, status="closed")
    with pytest.raises(AccessDenied):
        session_cancel(actor=actor, session=instant_session, reason="x")


def test_cancel_needs_a_reason(coordinator: User, instant_session: RotationSession) -> None:
    with pytest.raises(ValidationFailed):
        session_cancel(actor=coordinator, session=instant_session, reason=" ")
