"""Attendance: who may confirm, which days, and what the grid shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.tests.factories import UserFactory
from matchway.core import clock
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.experience.models import AttendanceRecord
from matchway.experience.services import attendance as svc
from matchway.experience.tests.factories import running_application
from matchway.rotations.models import Application

pytestmark = pytest.mark.django_db


def test_preceptor_confirms_clears_and_changes_days(running: Application, preceptor: Any) -> None:
    start = running.session.start_date
    changes = svc.attendance_set(
        actor=preceptor,
        application=running,
        hours_by_day={start: "8", start + dt.timedelta(days=1): "7.5"},
    )
    assert changes == {str(start): "8.0", str(start + dt.timedelta(days=1)): "7.5"}
    svc.attendance_set(actor=preceptor, application=running, hours_by_day={start: ""})
    assert list(AttendanceRecord.objects.values_list("hours", flat=True)) == [Decimal("7.5")]
    event = AuditEvent.objects.filter(action="attendance.confirm").latest("pk")
    assert event.data["changes"] == {str(start): None}


def test_coordinator_may_confirm_other_preceptors_and_applicants_may_not(
    running: Application, coordinator: Any, applicant: Any
) -> None:
    start = running.session.start_date
    svc.attendance_set(actor=coordinator, application=running, hours_by_day={start: "4"})
    for actor in (applicant, UserFactory(role="preceptor")):
        with pytest.raises(AccessDenied):
            svc.attendance_set(actor=actor, application=running, hours_by_day={start: "9"})


@pytest.mark.parametrize("value", ["25", "-1", "7.3", "eight", "NaN", "Infinity"])
def test_bad_hours_are_refused_and_nothing_is_written(
    running: Application, preceptor: Any, value: str
) -> None:
    start = running.session.start_date
    with pytest.raises(ValidationFailed) as refused:
        svc.attendance_set(
            actor=preceptor,
            application=running,
            hours_by_day={start: "8", start + dt.timedelta(days=1): value},
        )
    assert f"day_{start + dt.timedelta(days=1)}" in refused.value.errors
    assert not AttendanceRecord.objects.exists()


def test_future_and_outside_days_are_refused(running: Application, preceptor: Any) -> None:
    end = running.session.end_date
    with pytest.raises(ValidationFailed):
        svc.attendance_set(actor=preceptor, application=running, hours_by_day={end: "8"})
    with pytest.raises(ValidationFailed):
        svc.attendance_set(
            actor=preceptor,
            application=running,
            hours_by_day={running.session.start_date - dt.timedelta(days=1): "8"},
        )


def test_not_before_the_rotation_starts(applicant: Any, preceptor: Any) -> None:
    application = running_application(applicant=applicant, preceptors=[preceptor])
    application.status = "confirmed"
    application.save()
    with pytest.raises(InvalidTransition):
        svc.attendance_set(
            actor=preceptor,
            application=application,
            hours_by_day={application.session.start_date: "8"},
        )


@pytest.mark.parametrize(
    "instant",
    [
        # Wednesday noon in Los Angeles.
        dt.datetime(2026, 12, 9, 20, 0, tzinfo=dt.UTC),
        # Saturday morning: the session started on a Saturday too (14 days earlier).
        dt.datetime(2026, 12, 12, 17, 0, tzinfo=dt.UTC),
        # Sunday 22:30 in Los Angeles, already Monday in New York and Kolkata.
        dt.datetime(2026, 12, 14, 6, 30, tzinfo=dt.UTC),
    ],
    ids=["wednesday", "saturday", "sunday-evening-la"],
)
def test_fill_weekdays_skips_weekends_future_and_confirmed_days(
    applicant: Any, preceptor: Any, la_site: Any, time_machine: Any, instant: dt.datetime
) -> None:
    time_machine.move_to(instant, tick=False)
    running = running_application(applicant=applicant, preceptors=[preceptor], site=la_site)
    site_today = clock.site_today(la_site)
    start = running.session.start_date
    svc.attendance_set(actor=preceptor, application=running, hours_by_day={start: "3"})
    svc.attendance_fill_weekdays(actor=preceptor, application=running, hours="8")
    records = {r.day: r.hours for r in AttendanceRecord.objects.filter(application=running)}
    assert records.pop(start) == Decimal("3")  # confirmed by hand: left alone
    expected = {
        start + dt.timedelta(days=i)
        for i in range(1, (site_today - start).days + 1)
        if (start + dt.timedelta(days=i)).weekday() < 5
    }
    assert set(records) == expected  # every weekday up to the site's today, none after
    assert all(hours == Decimal("8") for hours in records.values())


def test_grid_page_for_each_role(
    running: Application,
    preceptor: Any,
    preceptor_client: Client,
    applicant_client: Client,
    coordinator_client: Client,
    outsider_client: Client,
) -> None:
    url = reverse("experience:attendance", args=[running.pk])
    start = running.session.start_date
    field = f"day_{start.isoformat()}"
    response = preceptor_client.post(url, {field: "8"})
    assert response.status_code == 302
    assert AttendanceRecord.objects.get(application=running).hours == Decimal("8")
    bad = preceptor_client.post(url, {field: "30"})
    assert bad.status_code == 422
    assert b'value="30"' in bad.content  # what was typed stays on screen
    applicant_page = applicant_client.get(url)
    assert applicant_page.status_code == 200 and b'name="day_' not in applicant_page.content
    assert b"8.0 h" in applicant_page.content
    assert applicant_client.post(url, {field: "12"}).status_code == 403
    assert coordinator_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404


def test_a_day_missing_from_the_form_is_left_alone(
    running: Application, preceptor: Any, preceptor_client: Client
) -> None:
    start = running.session.start_date
    svc.attendance_set(actor=preceptor, application=running, hours_by_day={start: "8"})
    other = f"day_{(start + dt.timedelta(days=1)).isoformat()}"
    preceptor_client.post(reverse("experience:attendance", args=[running.pk]), {other: "6"})
    assert AttendanceRecord.objects.get(application=running, day=start).hours == Decimal("8")
