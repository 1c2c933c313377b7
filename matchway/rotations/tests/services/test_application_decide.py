from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchway.accounts.models import User
from matchway.core.exceptions import (
    AccessDenied,
    CapacityError,
    InvalidTransition,
    ValidationFailed,
)
from matchway.rotations.models import Application, ApplicationStatus, RotationSession
from matchway.rotations.selectors import seats_in_use, waitlist_position
from matchway.rotations.services.applications import TRANSITIONS
from matchway.rotations.services.applications_decide import (
    application_accept,
    application_decide,
    application_decline,
    application_waitlist,
)
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.tests.factories import ApplicationFactory

from .helpers import assert_email, audit_actions

S = ApplicationStatus


@pytest.fixture
def submitted(applicant: User, review_session: RotationSession) -> Application:
    return application_submit(actor=applicant, session=review_session)


def test_accept_gives_a_hold(
    coordinator: User,
    applicant: User,
    submitted: Application,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    with committed():
        result = application_accept(
            actor=coordinator, application=submitted, message="Welcome aboard!"
        )
    assert result.status == S.ACCEPTED
    assert result.hold_expires_at is not None
    assert submitted.status == S.ACCEPTED  # the caller's instance is refreshed too
    assert result.decided_at is not None
    assert seats_in_use(result.session) == 1
    event = result.events.last()
    assert event is not None
    assert (event.from_status, event.to_status, event.actor) == (
        S.SUBMITTED,
        S.ACCEPTED,
        coordinator,
    )
    assert audit_actions(result) == ["application.submitted", "application.accepted"]
    assert_email(mailoutbox[0], applicant.email, "seat is held")
    assert "Welcome aboard!" in mailoutbox[0].body


def test_accept_needs_a_free_seat(
    coordinator: User, make_applicant: Callable[..., User], review_session: RotationSession
) -> None:
    ApplicationFactory.create_batch(
        review_session.capacity, session=review_session, status=S.CONFIRMED
    )
    application = application_submit(actor=make_applicant(), session=review_session)
    with pytest.raises(CapacityError):
        application_accept(actor=coordinator, application=application)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_decline_closes_the_application(
    coordinator: User,
    applicant: User,
    submitted: Application,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    with committed():
        result = application_decline(actor=coordinator, application=submitted, message="Sorry.")
    assert result.status == S.DECLINED
    assert result.closed_at is not None
    assert result.status_reason == "Sorry."
    assert "application.declined" in audit_actions(result)
    assert_email(mailoutbox[0], applicant.email, "Update on your application")


def test_waitlist_places_the_application_in_line(
    coordinator: User,
    applicant: User,
    submitted: Application,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    with committed():
        result = application_waitlist(actor=coordinator, application=submitted)
    assert result.status == S.WAITLISTED
    assert result.waitlisted_at is not None
    assert waitlist_position(result) == 1
    assert_email(mailoutbox[0], applicant.email, "waitlist")


def test_accept_from_waitlist(coordinator: User, submitted: Application) -> None:
    application_waitlist(actor=coordinator, application=submitted)
    assert application_accept(actor=coordinator, application=submitted).status == S.ACCEPTED


@pytest.mark.parametrize("action", ["accept", "decline", "waitlist"])
def test_decide_dispatches(coordinator: User, submitted: Application, action: str) -> None:
    expected = {"accept": S.ACCEPTED, "decline": S.DECLINED, "waitlist": S.WAITLISTED}[action]
    result = application_decide(actor=coordinator, application=submitted, action=action)
    assert result.status == expected


def test_decide_rejects_unknown_action(coordinator: User, submitted: Application) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        application_decide(actor=coordinator, application=submitted, action="promote")
    assert "action" in excinfo.value.errors


@pytest.mark.parametrize("action", ["accept", "decline", "waitlist"])
@pytest.mark.parametrize("role", ["applicant", "preceptor", "outsider"])
def test_only_coordinators_decide(
    role: str, action: str, request: pytest.FixtureRequest, submitted: Application
) -> None:
    with pytest.raises(AccessDenied):
        application_decide(
            actor=request.getfixturevalue(role), application=submitted, action=action
        )


ILLEGAL = [
    (status, action)
    for status in S.values
    for action, target in (
        ("accept", S.ACCEPTED),
        ("decline", S.DECLINED),
        ("waitlist", S.WAITLISTED),
    )
    if target not in TRANSITIONS.get(status, frozenset())
    or (action == "waitlist" and status != S.SUBMITTED)
]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_illegal_decisions_are_refused(
    status: str, action: str, coordinator: User, review_session: RotationSession
) -> None:
    application = ApplicationFactory(session=review_session, status=status)
    with pytest.raises(InvalidTransition):
        application_decide(actor=coordinator, application=application, action=action)
    application.refresh_from_db()
    assert application.status == status
