from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from matchway.accounts.models import User
from matchway.rotations.models import Application, ApplicationStatus, Rotation, RotationSession
from matchway.rotations.periodic import JOBS, holds_expire, sessions_start
from matchway.rotations.selectors import seats_in_use
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

from .helpers import assert_email

S = ApplicationStatus


def _lapse(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=5)
    )


def test_holds_expire_marks_lapsed_and_promotes_waitlist(
    make_applicant: Callable[..., User],
    instant_session: RotationSession,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    holders = [
        application_submit(actor=make_applicant(), session=instant_session) for _ in range(2)
    ]
    waiting = application_submit(actor=make_applicant(), session=instant_session, waitlist=True)
    _lapse(holders[0])
    with committed():
        assert holds_expire() == 1
    holders[0].refresh_from_db()
    waiting.refresh_from_db()
    assert holders[0].status == S.EXPIRED
    assert holders[0].closed_at is not None
    event = holders[0].events.last()
    assert event is not None
    assert (event.from_status, event.actor) == (S.ACCEPTED, None)
    assert waiting.status == S.ACCEPTED
    assert seats_in_use(instant_session) == 2
    expired_mail = [m for m in mailoutbox if m.to == [holders[0].applicant.email]]
    assert_email(expired_mail[0], holders[0].applicant.email, "hold lapsed")
    promoted_mail = [m for m in mailoutbox if m.to == [waiting.applicant.email]]
    assert_email(promoted_mail[0], waiting.applicant.email, "A seat opened up")


def test_holds_expire_is_idempotent(
    make_applicant: Callable[..., User], instant_session: RotationSession
) -> None:
    held = application_submit(actor=make_applicant(), session=instant_session)
    _lapse(held)
    assert holds_expire() == 1
    assert holds_expire() == 0
    assert held.events.count() == 2  # accepted, expired — nothing twice


def test_live_holds_are_left_alone(
    make_applicant: Callable[..., User], instant_session: RotationSession
) -> None:
    held = application_submit(actor=make_applicant(), session=instant_session)
    assert holds_expire() == 0
    held.refresh_from_db()
    assert held.status == S.ACCEPTED


def test_sessions_start_moves_confirmed_on_the_start_date(
    rotation: Rotation, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC), tick=False)
    today = timezone.localdate()
    started = RotationSessionFactory(rotation=rotation, start_date=today)
    later = RotationSessionFactory(rotation=rotation, start_date=today + dt.timedelta(days=2))
    due = ApplicationFactory(session=started, status=S.CONFIRMED)
    early = ApplicationFactory(session=later, status=S.CONFIRMED)
    held = ApplicationFactory(session=started, status=S.ACCEPTED)
    assert sessions_start() == 1
    assert sessions_start() == 0
    assert [Application.objects.get(pk=a.pk).status for a in (due, early, held)] == [
        S.IN_PROGRESS,
        S.CONFIRMED,
        S.ACCEPTED,
    ]


def test_sessions_start_on_the_sites_date_not_new_yorks(la_site: Any, time_machine: Any) -> None:
    """At 00:30 on Monday Dec 7 in New York it is still Sunday evening in Los Angeles: a
    New York session starting Dec 7 starts, a Los Angeles one waits for its own midnight."""
    monday = dt.date(2026, 12, 7)
    ny_session = RotationSessionFactory(start_date=monday)
    la_session = RotationSessionFactory(rotation=RotationFactory(site=la_site), start_date=monday)
    ny_app = ApplicationFactory(session=ny_session, status=S.CONFIRMED)
    la_app = ApplicationFactory(session=la_session, status=S.CONFIRMED)
    time_machine.move_to(dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC), tick=False)
    assert sessions_start() == 1
    assert Application.objects.get(pk=la_app.pk).status == S.CONFIRMED
    time_machine.move_to(dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC), tick=False)
    assert sessions_start() == 1
    assert {Application.objects.get(pk=a.pk).status for a in (ny_app, la_app)} == {S.IN_PROGRESS}


def test_jobs_are_registered_and_run_from_the_command(
    instant_session: RotationSession, capsys: Any
) -> None:
    assert JOBS[:2] == [holds_expire, sessions_start]  # booking jobs first: seats before mail
    call_command("run_periodic")
    out = capsys.readouterr().out
    assert "rotations.holds_expire: 0" in out
    assert "rotations.sessions_start: 0" in out
