"""Whose date applies (docs/dev/time.md): a session's dates are its site's dates, whatever
the zone of the person looking, and lists over many sites compare each session with its own
site's date.

The instants are chosen where the zones disagree about the date:
- 2026-12-06T20:00Z: Los Angeles Sun Dec 6, 12:00; New York Dec 6, 15:00; Kolkata Mon Dec 7, 01:30.
- 2026-12-07T06:30Z: Los Angeles Sun Dec 6, 22:30; New York Mon Dec 7, 01:30.
- 2026-12-07T08:30Z: Los Angeles Mon Dec 7, 00:30; Honolulu Sun Dec 6, 22:30.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.core import clock
from matchway.rotations.models import Application, RotationSession, SessionStatus
from matchway.rotations.selectors_catalog import rotation_upcoming_sessions
from matchway.rotations.services.applications_submit import application_submit

from .factories import RotationFactory, RotationSessionFactory, SiteFactory

pytestmark = pytest.mark.django_db

DEC_6 = dt.date(2026, 12, 6)
LA_NOON_KOLKATA_NEXT_DAY = dt.datetime(2026, 12, 6, 20, 0, tzinfo=dt.UTC)
LA_EVENING_NY_NEXT_DAY = dt.datetime(2026, 12, 7, 6, 30, tzinfo=dt.UTC)
LA_PAST_MIDNIGHT_HONOLULU_BEFORE = dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.UTC)


def _la_session(la_site: Any, **fields: Any) -> Any:
    rotation = RotationFactory(site=la_site, published=True)
    fields.setdefault("start_date", DEC_6 + dt.timedelta(days=14))
    return RotationSessionFactory(rotation=rotation, **fields)


def test_clock_dates_differ_by_zone(time_machine: Any) -> None:
    time_machine.move_to(LA_NOON_KOLKATA_NEXT_DAY, tick=False)
    assert clock.today_in("America/Los_Angeles") == DEC_6
    assert clock.today_in("Asia/Kolkata") == DEC_6 + dt.timedelta(days=1)
    assert clock.eastern_today() == DEC_6
    assert clock.today_in("Not/AZone") == clock.provider_today()


def test_deadline_day_still_accepts_for_a_viewer_already_on_the_next_day(
    la_site: Any, time_machine: Any
) -> None:
    session = _la_session(la_site, application_deadline=DEC_6)
    time_machine.move_to(LA_NOON_KOLKATA_NEXT_DAY, tick=False)
    with timezone.override("Asia/Kolkata"):
        assert clock.viewer_today() == DEC_6 + dt.timedelta(days=1)
        assert session.accepts_applications  # the site's deadline day is still today


def test_deadline_passed_at_the_site_closes_for_a_viewer_still_on_the_deadline_day(
    la_site: Any, time_machine: Any
) -> None:
    session = _la_session(la_site, application_deadline=DEC_6)
    time_machine.move_to(LA_PAST_MIDNIGHT_HONOLULU_BEFORE, tick=False)
    with timezone.override("Pacific/Honolulu"):
        assert clock.viewer_today() == DEC_6
        assert not session.accepts_applications


def test_kolkata_applicant_sees_and_uses_the_form_on_the_sites_deadline_day(
    la_site: Any, kolkata_applicant: Any, kolkata_client: Client, time_machine: Any
) -> None:
    session = _la_session(la_site, application_deadline=DEC_6)
    time_machine.move_to(LA_NOON_KOLKATA_NEXT_DAY, tick=False)
    page = kolkata_client.get(reverse("rotations:apply", args=[session.pk]))
    assert page.status_code == 200
    assert b"not taking applications any more" not in page.content
    application = application_submit(actor=kolkata_applicant, session=session, motivation="x")
    assert isinstance(application, Application)


def test_upcoming_lists_use_each_sites_own_date(la_site: Any, time_machine: Any) -> None:
    """At 01:30 in New York, a Los Angeles session starting "today" (Dec 6, LA) is still
    upcoming; a New York one that ended on Dec 6 is not."""
    la_session = _la_session(la_site, start_date=DEC_6)
    ny_rotation = RotationFactory(site=SiteFactory(timezone="America/New_York"), published=True)
    ny_ended = RotationSessionFactory(
        rotation=ny_rotation, start_date=DEC_6 - dt.timedelta(days=27), end_date=DEC_6
    )
    ny_starting = RotationSessionFactory(rotation=ny_rotation, start_date=DEC_6)
    time_machine.move_to(LA_EVENING_NY_NEXT_DAY, tick=False)

    assert [s.pk for s in rotation_upcoming_sessions(rotation=la_session.rotation)] == [
        la_session.pk
    ]
    assert rotation_upcoming_sessions(rotation=ny_rotation) == []
    # "Not ended yet" as the preceptor's list asks it (end date vs each site's own date).
    not_ended = RotationSession.objects.filter(
        clock.local_today_q("end_date", zone_field="rotation__site__timezone"),
        rotation=ny_rotation,
    )
    assert ny_starting.pk in {s.pk for s in not_ended}
    assert ny_ended.pk not in {s.pk for s in not_ended}


def test_unknown_zone_names_get_the_providers_date(time_machine: Any) -> None:
    """`local_today_q` treats a zone name it does not know as the provider's zone."""
    site = SiteFactory(timezone="")
    session = RotationSessionFactory(
        rotation=RotationFactory(site=site, published=True),
        start_date=DEC_6,
        status=SessionStatus.OPEN,
    )
    time_machine.move_to(LA_EVENING_NY_NEXT_DAY, tick=False)  # Dec 7 for the provider
    assert rotation_upcoming_sessions(rotation=session.rotation) == []
    time_machine.move_to(dt.datetime(2026, 12, 6, 23, 0, tzinfo=dt.UTC), tick=False)
    assert [s.pk for s in rotation_upcoming_sessions(rotation=session.rotation)] == [session.pk]
