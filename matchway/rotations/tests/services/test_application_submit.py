from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.exceptions import (
    AccessDenied,
    AlreadyApplied,
    CapacityError,
    SessionClosed,
    ValidationFailed,
)
from matchway.rotations.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    RotationSession,
    SessionStatus,
)
from matchway.rotations.selectors import seats_in_use, waitlist_position
from matchway.rotations.services import applications_submit as applications_module
from matchway.rotations.services.applications_submit import application_submit, application_withdraw
from matchway.rotations.tests.factories import ApplicationFactory

from .helpers import assert_email, audit_actions

S = ApplicationStatus


def test_instant_submit_takes_a_seat_with_a_hold(
    applicant: User,
    coordinator: User,
    instant_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    before = timezone.now()
    with committed():
        application = application_submit(
            actor=applicant,
            session=instant_session,
            motivation="  I want to learn.  ",
            referral_source="A friend",
            consent_share_documents=True,
        )
    assert application.status == S.ACCEPTED
    hours = instant_session.rotation.hold_hours
    assert application.hold_expires_at is not None
    assert before + dt.timedelta(hours=hours) <= application.hold_expires_at
    assert application.motivation == "I want to learn."
    assert application.consent_share_documents is True
    assert seats_in_use(instant_session) == 1
    event = ApplicationEvent.objects.get(application=application)
    assert (event.from_status, event.to_status, event.actor) == ("", S.ACCEPTED, applicant)
    assert audit_actions(application) == ["application.accepted"]
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert_email(by_recipient[applicant.email], applicant.email, "seat is held")
    assert_email(by_recipient[coordinator.email], coordinator.email, "New application")


def test_review_submit_takes_no_seat(
    applicant: User,
    review_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    with committed():
        application = application_submit(actor=applicant, session=review_session)
    assert application.status == S.SUBMITTED
    assert application.hold_expires_at is None
    assert seats_in_use(review_session) == 0
    assert audit_actions(application) == ["application.submitted"]
    assert_email(mailoutbox[0], applicant.email, "We received your application")


def test_full_instant_session_raises_session_full(
    make_applicant: Callable[..., User], instant_session: RotationSession
) -> None:
    for _ in range(instant_session.capacity):
        application_submit(actor=make_applicant(), session=instant_session)
    late = make_applicant()
    with pytest.raises(CapacityError) as excinfo:
        application_submit(actor=late, session=instant_session)
    assert excinfo.value.code == "session_full"
    assert not Application.objects.filter(applicant=late).exists()


def test_full_instant_session_waitlists_when_asked(
    make_applicant: Callable[..., User],
    instant_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    for _ in range(instant_session.capacity):
        application_submit(actor=make_applicant(), session=instant_session)
    first, second = make_applicant(), make_applicant()
    with committed():
        one = application_submit(actor=first, session=instant_session, waitlist=True)
        two = application_submit(actor=second, session=instant_session, waitlist=True)
    assert (one.status, two.status) == (S.WAITLISTED, S.WAITLISTED)
    assert one.hold_expires_at is None
    assert (waitlist_position(one), waitlist_position(two)) == (1, 2)
    waitlisted_mail = [m for m in mailoutbox if m.to == [second.email]]
    assert_email(waitlisted_mail[0], second.email, "waitlist")
    assert "place on the waitlist: 2" in waitlisted_mail[0].body


def test_free_seat_goes_to_waitlist_not_newcomer(
    make_applicant: Callable[..., User], instant_session: RotationSession
) -> None:
    """While someone waits, a seat freed by a lapsed hold is not taken by a newcomer."""
    holders = [
        application_submit(actor=make_applicant(), session=instant_session)
        for _ in range(instant_session.capacity)
    ]
    application_submit(actor=make_applicant(), session=instant_session, waitlist=True)
    Application.objects.filter(pk=holders[0].pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert seats_in_use(instant_session) == instant_session.capacity - 1
    with pytest.raises(CapacityError):
        application_submit(actor=make_applicant(), session=instant_session)
    newcomer = application_submit(actor=make_applicant(), session=instant_session, waitlist=True)
    assert newcomer.status == S.WAITLISTED
    assert waitlist_position(newcomer) == 2


def test_lapsed_hold_frees_the_seat_for_a_newcomer_at_once(
    make_applicant: Callable[..., User], instant_session: RotationSession
) -> None:
    holders = [
        application_submit(actor=make_applicant(), session=instant_session)
        for _ in range(instant_session.capacity)
    ]
    Application.objects.filter(pk=holders[0].pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    # No periodic job ran: the lapsed hold simply stops counting.
    newcomer = application_submit(actor=make_applicant(), session=instant_session)
    assert newcomer.status == S.ACCEPTED


@pytest.mark.parametrize("role", ["preceptor", "coordinator"])
def test_only_applicants_can_apply(
    role: str, request: pytest.FixtureRequest, instant_session: RotationSession
) -> None:
    user = request.getfixturevalue(role)
    with pytest.raises(AccessDenied):
        application_submit(actor=user, session=instant_session)


def test_anonymous_cannot_apply(instant_session: RotationSession) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(AccessDenied):
        application_submit(actor=AnonymousUser(), session=instant_session)  # type: ignore[arg-type]


def test_graduate_refused_by_students_only_rotation(
    applicant: User, instant_session: RotationSession
) -> None:
    applicant.applicant_profile.is_graduate = True
    applicant.applicant_profile.save()
    rotation = instant_session.rotation
    rotation.graduates_allowed = False
    rotation.save()
    with pytest.raises(ValidationFailed, match="enrolled students only"):
        application_submit(actor=applicant, session=instant_session)


def test_student_refused_by_graduates_only_rotation(
    applicant: User, instant_session: RotationSession
) -> None:
    rotation = instant_session.rotation
    rotation.students_allowed = False
    rotation.save()
    with pytest.raises(ValidationFailed, match="graduates only"):
        application_submit(actor=applicant, session=instant_session)
    applicant.applicant_profile.is_graduate = True
    applicant.applicant_profile.save()
    applicant.refresh_from_db()
    assert application_submit(actor=applicant, session=instant_session).status == S.ACCEPTED


def test_too_long_motivation_is_a_field_error(
    applicant: User, instant_session: RotationSession
) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        application_submit(actor=applicant, session=instant_session, motivation="x" * 4001)
    assert "motivation" in excinfo.value.errors


def test_motivation_with_phi_is_refused_and_nothing_is_stored(
    applicant: User, instant_session: RotationSession
) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        application_submit(
            actor=applicant,
            session=instant_session,
            motivation="I cared for Mrs. Jane Doe, MRN 12345678, last spring.",
        )
    assert excinfo.value.code == "phi_detected" and "motivation" in excinfo.value.errors
    assert not Application.objects.filter(session=instant_session).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": SessionStatus.CLOSED},
        {"status": SessionStatus.CANCELLED},
        {"application_deadline": "yesterday"},
    ],
    ids=["closed", "cancelled", "deadline-passed"],
)
def test_closed_session_refuses(
    change: dict[str, str], applicant: User, instant_session: RotationSession
) -> None:
    for field, value in change.items():
        if value == "yesterday":
            site_today = clock.site_today(instant_session.rotation.site)
            setattr(instant_session, field, site_today - dt.timedelta(days=1))
        else:
            setattr(instant_session, field, value)
    instant_session.save()
    with pytest.raises(SessionClosed) as excinfo:
        application_submit(actor=applicant, session=instant_session)
    assert excinfo.value.code == "session_closed"


def test_unpublished_rotation_refuses(applicant: User, instant_session: RotationSession) -> None:
    instant_session.rotation.published = False
    instant_session.rotation.save()
    with pytest.raises(SessionClosed):
        application_submit(actor=applicant, session=instant_session)


def test_status_change_under_the_lock_is_seen(
    applicant: User, instant_session: RotationSession
) -> None:
    """The caller's session object is stale: the re-check under the lock reads the row."""
    RotationSession.objects.filter(pk=instant_session.pk).update(status=SessionStatus.CLOSED)
    with pytest.raises(SessionClosed):
        application_submit(actor=applicant, session=instant_session)


def test_second_live_application_refused(applicant: User, review_session: RotationSession) -> None:
    application_submit(actor=applicant, session=review_session)
    with pytest.raises(AlreadyApplied) as excinfo:
        application_submit(actor=applicant, session=review_session)
    assert excinfo.value.code == "already_applied"


def test_may_apply_again_after_withdrawing(
    applicant: User, instant_session: RotationSession
) -> None:
    first = application_submit(actor=applicant, session=instant_session)
    application_withdraw(actor=applicant, application=first)
    again = application_submit(actor=applicant, session=instant_session)
    assert again.pk != first.pk
    assert again.status == S.ACCEPTED


def test_unique_constraint_race_maps_to_already_applied(
    applicant: User, review_session: RotationSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent duplicate slips past the early check; the constraint catches it."""
    ApplicationFactory(applicant=applicant, session=review_session, status=S.SUBMITTED)
    answers = iter([False, True])  # the early check "misses" it, the post-mortem sees it
    monkeypatch.setattr(applications_module, "_has_live_application", lambda *args: next(answers))
    with pytest.raises(AlreadyApplied):
        application_submit(actor=applicant, session=review_session)
    assert Application.objects.filter(applicant=applicant).count() == 1


def test_rolled_back_submit_sends_nothing(
    make_applicant: Callable[..., User],
    instant_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    for _ in range(instant_session.capacity):
        application_submit(actor=make_applicant(), session=instant_session)
    with committed(), pytest.raises(CapacityError):
        application_submit(actor=make_applicant(), session=instant_session)
    assert mailoutbox == []
