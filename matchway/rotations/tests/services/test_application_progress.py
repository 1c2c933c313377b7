"""Start, complete and hold extension (the states after a seat is secured)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.core.exceptions import (
    AccessDenied,
    HoldExpiredError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from matchway.rotations.models import Application, ApplicationStatus, Rotation, RotationSession
from matchway.rotations.services.applications_decide import application_extend_hold
from matchway.rotations.services.applications_lifecycle import (
    application_complete,
    application_start,
)
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

from .helpers import assert_email, audit_actions

S = ApplicationStatus


@pytest.fixture
def running_session(rotation: Rotation) -> RotationSession:
    """A session that started two weeks ago and ends today."""
    today = timezone.localdate()
    return RotationSessionFactory(
        rotation=rotation, start_date=today - dt.timedelta(days=14), end_date=today
    )


def test_start_on_start_date(
    coordinator: User,
    applicant: User,
    running_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    application = ApplicationFactory(
        applicant=applicant, session=running_session, status=S.CONFIRMED
    )
    with committed():
        result = application_start(actor=coordinator, application=application)
    assert result.status == S.IN_PROGRESS
    assert result.started_at is not None
    assert audit_actions(result) == ["application.in_progress"]
    assert_email(mailoutbox[0], applicant.email, "has started")


def test_system_may_start(running_session: RotationSession) -> None:
    application = ApplicationFactory(session=running_session, status=S.CONFIRMED)
    result = application_start(actor=None, application=application)
    event = result.events.get()
    assert (event.to_status, event.actor) == (S.IN_PROGRESS, None)


def test_cannot_start_before_the_start_date(
    coordinator: User, instant_session: RotationSession
) -> None:
    application = ApplicationFactory(session=instant_session, status=S.CONFIRMED)
    with pytest.raises(ValidationFailed, match="starts on"):
        application_start(actor=coordinator, application=application)


@pytest.mark.parametrize("status", [s for s in S.values if s != S.CONFIRMED])
def test_only_confirmed_can_start(
    status: str, coordinator: User, running_session: RotationSession
) -> None:
    application = ApplicationFactory(session=running_session, status=status)
    with pytest.raises(InvalidTransition):
        application_start(actor=coordinator, application=application)


@pytest.mark.parametrize("role", ["applicant", "preceptor"])
def test_only_coordinators_start(
    role: str, request: pytest.FixtureRequest, running_session: RotationSession
) -> None:
    application = ApplicationFactory(session=running_session, status=S.CONFIRMED)
    with pytest.raises(AccessDenied):
        application_start(actor=request.getfixturevalue(role), application=application)


@pytest.mark.parametrize("role", ["coordinator", "preceptor"])
def test_complete_on_the_last_day(
    role: str,
    request: pytest.FixtureRequest,
    applicant: User,
    running_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    application = ApplicationFactory(
        applicant=applicant, session=running_session, status=S.IN_PROGRESS
    )
    actor = request.getfixturevalue(role)
    with committed():
        result = application_complete(actor=actor, application=application)
    assert result.status == S.COMPLETED
    assert result.completed_at is not None
    assert result.events.get().actor == actor
    assert_email(mailoutbox[0], applicant.email, "Rotation completed")


def test_other_preceptor_gets_not_found(running_session: RotationSession) -> None:
    stranger = UserFactory(role="preceptor")
    application = ApplicationFactory(session=running_session, status=S.IN_PROGRESS)
    with pytest.raises(NotFound):
        application_complete(actor=stranger, application=application)


def test_applicant_cannot_complete(applicant: User, running_session: RotationSession) -> None:
    application = ApplicationFactory(
        applicant=applicant, session=running_session, status=S.IN_PROGRESS
    )
    with pytest.raises(AccessDenied):
        application_complete(actor=applicant, application=application)


def test_cannot_complete_before_the_end(coordinator: User, rotation: Rotation) -> None:
    today = timezone.localdate()
    session = RotationSessionFactory(
        rotation=rotation,
        start_date=today - dt.timedelta(days=3),
        end_date=today + dt.timedelta(days=1),
    )
    application = ApplicationFactory(session=session, status=S.IN_PROGRESS)
    with pytest.raises(ValidationFailed, match="ends on"):
        application_complete(actor=coordinator, application=application)


def test_complete_and_start_follow_the_sites_date(
    coordinator: User, la_site: Any, time_machine: Any
) -> None:
    """01:30 on Dec 7 in New York is 22:30 on Dec 6 in Los Angeles: a Los Angeles session
    ending (or starting) on Dec 7 has not ended (or started) yet."""
    dec_7 = dt.date(2026, 12, 7)
    rotation = RotationFactory(site=la_site)
    ending = RotationSessionFactory(
        rotation=rotation, start_date=dec_7 - dt.timedelta(days=14), end_date=dec_7
    )
    starting = RotationSessionFactory(rotation=rotation, start_date=dec_7)
    running = ApplicationFactory(session=ending, status=S.IN_PROGRESS)
    confirmed = ApplicationFactory(session=starting, status=S.CONFIRMED)
    time_machine.move_to(dt.datetime(2026, 12, 7, 6, 30, tzinfo=dt.UTC), tick=False)
    with pytest.raises(ValidationFailed, match="ends on"):
        application_complete(actor=coordinator, application=running)
    with pytest.raises(ValidationFailed):
        application_start(actor=coordinator, application=confirmed)
    time_machine.move_to(dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC), tick=False)
    assert application_complete(actor=coordinator, application=running).status == S.COMPLETED
    assert application_start(actor=coordinator, application=confirmed).status == S.IN_PROGRESS


@pytest.mark.parametrize("status", [s for s in S.values if s != S.IN_PROGRESS])
def test_only_in_progress_can_complete(
    status: str, coordinator: User, running_session: RotationSession
) -> None:
    application = ApplicationFactory(session=running_session, status=status)
    with pytest.raises(InvalidTransition):
        application_complete(actor=coordinator, application=application)


@pytest.fixture
def held(applicant: User, instant_session: RotationSession) -> Application:
    return application_submit(actor=applicant, session=instant_session)


def test_extend_hold(
    coordinator: User,
    applicant: User,
    held: Application,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    before = held.hold_expires_at
    assert before is not None
    with committed():
        result = application_extend_hold(actor=coordinator, application=held, hours=24)
    assert result.hold_expires_at == before + dt.timedelta(hours=24)
    assert held.hold_expires_at == result.hold_expires_at
    assert audit_actions(result)[-1] == "application.hold_extended"
    assert_email(mailoutbox[0], applicant.email, "More time to confirm")


def test_lapsed_hold_cannot_be_extended(coordinator: User, held: Application) -> None:
    Application.objects.filter(pk=held.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(HoldExpiredError):
        application_extend_hold(actor=coordinator, application=held, hours=24)


@pytest.mark.parametrize("hours", [0, -1, 24 * 14 + 1])
def test_extension_must_be_sensible(coordinator: User, held: Application, hours: int) -> None:
    with pytest.raises(ValidationFailed):
        application_extend_hold(actor=coordinator, application=held, hours=hours)


def test_only_holds_can_be_extended(coordinator: User, instant_session: RotationSession) -> None:
    application = ApplicationFactory(session=instant_session, status=S.CONFIRMED)
    with pytest.raises(InvalidTransition):
        application_extend_hold(actor=coordinator, application=application, hours=1)


def test_applicant_cannot_extend(applicant: User, held: Application) -> None:
    with pytest.raises(AccessDenied):
        application_extend_hold(actor=applicant, application=held, hours=1)
