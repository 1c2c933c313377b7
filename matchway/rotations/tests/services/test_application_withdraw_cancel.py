from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchway.accounts.models import User
from matchway.core.exceptions import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from matchway.rotations.models import (
    LIVE_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    RotationSession,
)
from matchway.rotations.selectors import seats_in_use, waitlist_position
from matchway.rotations.services.applications_decide import application_cancel
from matchway.rotations.services.applications_submit import application_submit, application_withdraw
from matchway.rotations.tests.factories import ApplicationFactory

from .helpers import assert_email, audit_actions

S = ApplicationStatus
CLOSED = [s for s in S.values if s not in LIVE_STATUSES]


@pytest.fixture
def full_with_queue(
    make_applicant: Callable[..., User], instant_session: RotationSession
) -> tuple[list[Application], list[Application]]:
    """A full instant session (capacity 2) with two people on the waitlist."""
    holders = [
        application_submit(actor=make_applicant(), session=instant_session) for _ in range(2)
    ]
    queue = [
        application_submit(actor=make_applicant(), session=instant_session, waitlist=True)
        for _ in range(2)
    ]
    return holders, queue


@pytest.mark.parametrize("status", LIVE_STATUSES)
def test_owner_withdraws_from_any_live_state(
    status: str,
    applicant: User,
    instant_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    application = ApplicationFactory(applicant=applicant, session=instant_session, status=status)
    with committed():
        result = application_withdraw(actor=applicant, application=application, reason="Visa")
    assert result.status == S.WITHDRAWN
    assert result.status_reason == "Visa"
    assert result.closed_at is not None
    event = ApplicationEvent.objects.get(application=application)
    assert (event.from_status, event.to_status, event.actor) == (status, S.WITHDRAWN, applicant)
    assert audit_actions(application) == ["application.withdrawn"]
    assert_email(mailoutbox[0], applicant.email, "You withdrew")


@pytest.mark.parametrize("status", CLOSED)
def test_closed_application_cannot_be_withdrawn(
    status: str, applicant: User, instant_session: RotationSession
) -> None:
    application = ApplicationFactory(applicant=applicant, session=instant_session, status=status)
    with pytest.raises(InvalidTransition):
        application_withdraw(actor=applicant, application=application)


@pytest.mark.parametrize("role", ["outsider", "coordinator", "preceptor"])
def test_only_the_owner_withdraws(
    role: str, request: pytest.FixtureRequest, applicant: User, instant_session: RotationSession
) -> None:
    application = application_submit(actor=applicant, session=instant_session)
    with pytest.raises(NotFound):
        application_withdraw(actor=request.getfixturevalue(role), application=application)
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_withdrawing_a_seat_promotes_the_waitlist_head(
    instant_session: RotationSession,
    full_with_queue: tuple[list[Application], list[Application]],
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    holders, (head, second) = full_with_queue
    with committed():
        application_withdraw(actor=holders[0].applicant, application=holders[0])
    head.refresh_from_db()
    second.refresh_from_db()
    assert head.status == S.ACCEPTED
    assert head.hold_expires_at is not None
    assert second.status == S.WAITLISTED
    assert waitlist_position(second) == 1
    assert seats_in_use(instant_session) == instant_session.capacity
    promoted = head.events.last()
    assert promoted is not None
    assert (promoted.from_status, promoted.actor) == (S.WAITLISTED, None)
    # Same transaction: the withdrawal and the promotion were committed together.
    assert "application.accepted" in audit_actions(head)
    promoted_mail = [m for m in mailoutbox if m.to == [head.applicant.email]]
    assert_email(promoted_mail[0], head.applicant.email, "A seat opened up for you")


def test_withdrawing_from_the_waitlist_moves_the_line(
    full_with_queue: tuple[list[Application], list[Application]],
) -> None:
    _holders, (head, second) = full_with_queue
    application_withdraw(actor=head.applicant, application=head)
    second.refresh_from_db()
    assert second.status == S.WAITLISTED
    assert waitlist_position(second) == 1


def test_cancel_requires_a_reason(
    coordinator: User, applicant: User, instant_session: RotationSession
) -> None:
    application = application_submit(actor=applicant, session=instant_session)
    with pytest.raises(ValidationFailed) as excinfo:
        application_cancel(actor=coordinator, application=application, reason="  ")
    assert "reason" in excinfo.value.errors


@pytest.mark.parametrize("role", ["applicant", "preceptor", "outsider"])
def test_only_coordinators_cancel(
    role: str, request: pytest.FixtureRequest, applicant: User, instant_session: RotationSession
) -> None:
    application = application_submit(actor=applicant, session=instant_session)
    with pytest.raises(AccessDenied):
        application_cancel(
            actor=request.getfixturevalue(role), application=application, reason="No-show"
        )


@pytest.mark.parametrize("status", CLOSED)
def test_closed_application_cannot_be_cancelled(
    status: str, coordinator: User, instant_session: RotationSession
) -> None:
    application = ApplicationFactory(session=instant_session, status=status)
    with pytest.raises(InvalidTransition):
        application_cancel(actor=coordinator, application=application, reason="No-show")


def test_cancel_frees_the_seat_for_the_waitlist(
    coordinator: User,
    full_with_queue: tuple[list[Application], list[Application]],
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    holders, (head, _second) = full_with_queue
    with committed():
        result = application_cancel(actor=coordinator, application=holders[1], reason="No-show")
    assert result.status == S.CANCELLED
    assert result.status_reason == "No-show"
    head.refresh_from_db()
    assert head.status == S.ACCEPTED
    cancelled_mail = [m for m in mailoutbox if m.to == [holders[1].applicant.email]]
    assert_email(cancelled_mail[0], holders[1].applicant.email, "was cancelled")
    assert "No-show" in cancelled_mail[0].body
