"""No date clashes (issue #19): the overlap rule at its exact boundary days, the confirm
block (`DateConflict`, 409 `date_conflict`) and its audited override.

Session dates are site-local calendar dates and `end_date` is the last day (inclusive), so a
session ending on day D clashes with one starting on D and not with one starting on D+1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.core import clock
from matchway.core.exceptions import DateConflict
from matchway.core.models import AuditEvent
from matchway.rotations.models import Application, ApplicationStatus, RotationSession
from matchway.rotations.selectors import (
    CLASH_BLOCK_STATUSES,
    application_date_clashes,
    dates_overlap,
)
from matchway.rotations.services.applications_decide import application_confirm
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

S = ApplicationStatus
pytestmark = pytest.mark.django_db

D = clock.provider_today() + dt.timedelta(days=90)  # "day D", well in the future


def _session(start: dt.date, end: dt.date, title: str) -> RotationSession:
    # No required documents and no deposit: only the clash rule can refuse a confirmation.
    rotation = RotationFactory(title=title, deposit_cents=0)
    return RotationSessionFactory(rotation=rotation, start_date=start, end_date=end, capacity=3)


def _app(applicant: User, start: dt.date, end: dt.date, status: str, title: str) -> Application:
    return ApplicationFactory(
        applicant=applicant, session=_session(start, end, title), status=status
    )


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        # a ends on D, b starts on D: both days inclusive → they share day D.
        ((D - dt.timedelta(days=27), D), (D, D + dt.timedelta(days=27)), True),
        # b starts on D+1: adjacent, no shared day.
        (
            (D - dt.timedelta(days=27), D),
            (D + dt.timedelta(days=1), D + dt.timedelta(days=28)),
            False,
        ),
        # b ends on the day before a starts.
        (
            (D, D + dt.timedelta(days=6)),
            (D - dt.timedelta(days=7), D - dt.timedelta(days=1)),
            False,
        ),
        # b ends on the day a starts.
        ((D, D + dt.timedelta(days=6)), (D - dt.timedelta(days=7), D), True),
        # containment and identical ranges.
        (
            (D, D + dt.timedelta(days=27)),
            (D + dt.timedelta(days=3), D + dt.timedelta(days=4)),
            True,
        ),
        ((D, D + dt.timedelta(days=27)), (D, D + dt.timedelta(days=27)), True),
    ],
)
def test_dates_overlap_boundaries(a: Any, b: Any, overlap: bool) -> None:
    assert dates_overlap(a[0], a[1], b[0], b[1]) is overlap
    assert dates_overlap(b[0], b[1], a[0], a[1]) is overlap  # symmetric


def test_confirm_is_refused_when_a_confirmed_rotation_ends_on_the_start_day(
    coordinator: User, applicant: User
) -> None:
    other = _app(applicant, D - dt.timedelta(days=27), D, S.CONFIRMED, "Cardiology Clerkship")
    held = _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology Observership")
    with pytest.raises(DateConflict) as excinfo:
        application_confirm(actor=coordinator, application=held)
    exc = excinfo.value
    assert exc.code == "date_conflict"
    assert exc.status == 409
    assert "Cardiology Clerkship" in exc.message
    assert other.session.end_date.strftime("%b") in exc.message
    assert str(other.session.end_date.day) in exc.message
    assert exc.extra["conflicts"] == [
        {
            "application_id": other.pk,
            "rotation": "Cardiology Clerkship",
            "start_date": other.session.start_date.isoformat(),
            "end_date": D.isoformat(),
            "status": "confirmed",
        }
    ]
    held.refresh_from_db()
    assert held.status == S.ACCEPTED  # nothing written


def test_confirm_is_refused_when_this_rotation_ends_on_the_others_start_day(
    coordinator: User, applicant: User
) -> None:
    _app(applicant, D, D + dt.timedelta(days=27), S.IN_PROGRESS, "Cardiology Clerkship")
    held = _app(applicant, D - dt.timedelta(days=27), D, S.ACCEPTED, "Neurology Observership")
    with pytest.raises(DateConflict):
        application_confirm(actor=coordinator, application=held)


def test_starting_the_day_after_confirms(coordinator: User, applicant: User) -> None:
    _app(applicant, D - dt.timedelta(days=27), D, S.CONFIRMED, "Cardiology Clerkship")
    held = _app(
        applicant,
        D + dt.timedelta(days=1),
        D + dt.timedelta(days=28),
        S.ACCEPTED,
        "Neurology Observership",
    )
    application_confirm(actor=coordinator, application=held)
    assert held.status == S.CONFIRMED


@pytest.mark.parametrize(
    "other_status",
    [S.SUBMITTED, S.WAITLISTED, S.ACCEPTED, S.WITHDRAWN, S.DECLINED, S.CANCELLED, S.EXPIRED],
)
def test_only_confirmed_or_in_progress_block(
    coordinator: User, applicant: User, other_status: str
) -> None:
    _app(applicant, D, D + dt.timedelta(days=27), other_status, "Cardiology Clerkship")
    held = _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology Observership")
    application_confirm(actor=coordinator, application=held)
    assert held.status == S.CONFIRMED


def test_another_applicants_dates_do_not_matter(coordinator: User, applicant: User) -> None:
    _app(UserFactory(role="applicant"), D, D + dt.timedelta(days=27), S.CONFIRMED, "Cardiology")
    held = _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology Observership")
    application_confirm(actor=coordinator, application=held)
    assert held.status == S.CONFIRMED


def test_override_confirms_and_audits_both_ids(coordinator: User, applicant: User) -> None:
    other = _app(applicant, D, D + dt.timedelta(days=13), S.CONFIRMED, "Cardiology Clerkship")
    held = _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology Observership")
    application_confirm(
        actor=coordinator,
        application=held,
        clash_override_reason="Half days at each site, agreed with both preceptors.",
    )
    assert held.status == S.CONFIRMED
    event = AuditEvent.objects.get(action="application.confirm_clash_override")
    assert event.target_id == str(held.pk)
    assert event.data["application_id"] == held.pk
    assert event.data["other_application_ids"] == [other.pk]
    assert event.data["reason"].startswith("Half days")


def test_the_deposit_override_reason_does_not_override_a_clash(
    coordinator: User, applicant: User
) -> None:
    _app(applicant, D, D + dt.timedelta(days=13), S.CONFIRMED, "Cardiology Clerkship")
    held = _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology Observership")
    with pytest.raises(DateConflict):
        application_confirm(actor=coordinator, application=held, override_reason="deposit later")


def test_clash_selector_warns_about_every_live_status(applicant: User) -> None:
    live = [S.SUBMITTED, S.WAITLISTED, S.ACCEPTED, S.CONFIRMED, S.IN_PROGRESS]
    made = {status: _app(applicant, D, D + dt.timedelta(days=6), status, status) for status in live}
    _app(applicant, D, D + dt.timedelta(days=6), S.WITHDRAWN, "withdrawn")
    _app(applicant, D + dt.timedelta(days=7), D + dt.timedelta(days=20), S.CONFIRMED, "later")
    warned = application_date_clashes(
        applicant_id=applicant.pk, start_date=D - dt.timedelta(days=10), end_date=D
    )
    assert {a.pk for a in warned} == {a.pk for a in made.values()}
    blocking = application_date_clashes(
        applicant_id=applicant.pk,
        start_date=D - dt.timedelta(days=10),
        end_date=D,
        statuses=CLASH_BLOCK_STATUSES,
    )
    assert {a.status for a in blocking} == {S.CONFIRMED, S.IN_PROGRESS}
