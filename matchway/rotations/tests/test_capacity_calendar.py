"""The coordinators' capacity calendar: seats used / capacity per session by month (#17)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from matchway.rotations.models import ApplicationStatus, SessionStatus
from matchway.rotations.selectors import seats_available, seats_in_use
from matchway.rotations.selectors_capacity import capacity_month, fill_level
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

pytestmark = pytest.mark.django_db

URL = reverse("rotations:manage-capacity")
JANUARY = dt.date(2027, 1, 1)
# Near the real clock: the signed-in test client's session must not expire under the travel.
NOW = dt.datetime(2026, 12, 10, 15, tzinfo=dt.UTC)


def _session(start: dt.date, capacity: int = 4, **kw):
    return RotationSessionFactory(
        start_date=start, end_date=start + dt.timedelta(days=27), capacity=capacity, **kw
    )


@time_machine.travel(NOW, tick=False)
def test_calendar_numbers_are_bookings_arithmetic(coordinator_client):
    busy = _session(dt.date(2027, 1, 4))
    for status in (
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.IN_PROGRESS,
        ApplicationStatus.ACCEPTED,  # live hold: counts
        ApplicationStatus.WAITLISTED,  # does not
        ApplicationStatus.SUBMITTED,  # does not
        ApplicationStatus.WITHDRAWN,  # does not
    ):
        ApplicationFactory(session=busy, status=status)
    lapsed = ApplicationFactory(session=busy, status=ApplicationStatus.ACCEPTED)
    lapsed.hold_expires_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # an expired hold
    lapsed.save(update_fields=["hold_expires_at"])
    full = _session(dt.date(2026, 12, 20), capacity=1)  # started last month, runs into March
    ApplicationFactory(session=full, status=ApplicationStatus.CONFIRMED)
    _session(dt.date(2027, 1, 20), status=SessionStatus.CANCELLED)
    _session(dt.date(2027, 3, 3))  # another month

    month = capacity_month(JANUARY)
    assert [row.session for row in month.rows] == [full, busy]
    for row in month.rows:
        assert row.used == seats_in_use(row.session)
        assert row.free == seats_available(row.session)
        assert row.capacity == row.session.capacity
    assert (month.rows[1].used, month.rows[1].free, month.rows[1].waitlisted) == (3, 1, 1)
    assert (month.used, month.capacity) == (4, 5)

    html = coordinator_client.get(URL, {"month": "2027-01"}).content.decode()
    assert "3 / 4 seats" in html and "1 / 1 seats" in html
    assert "Almost full" in html and "Full" in html  # words, not only colour
    assert "4 of 5 seats taken in 2 sessions" in html
    assert 'href="?month=2026-12"' in html and 'href="?month=2027-02"' in html


@time_machine.travel(NOW, tick=False)
def test_calendar_defaults_to_this_month_and_survives_a_bad_month(coordinator_client):
    assert b"December 2026" in coordinator_client.get(URL).content
    response = coordinator_client.get(URL, {"month": "2027-13"})
    assert response.status_code == 200
    assert b"December 2026" in response.content
    assert b"No sessions run this month" in response.content


def test_fill_levels_have_words():
    assert fill_level(0, 4) == ("empty", "No bookings yet")
    assert fill_level(1, 4) == ("some", "Filling")
    assert fill_level(3, 4) == ("high", "Almost full")
    assert fill_level(4, 4) == ("full", "Full")
    assert fill_level(5, 4) == ("full", "Full")


@time_machine.travel(NOW, tick=False)
def test_calendar_query_count_is_constant(coordinator_client, django_assert_num_queries):
    for day in (1, 8):
        session = _session(dt.date(2027, 1, day))
        ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)
    coordinator_client.get(URL, {"month": "2027-01"})
    # session, user, the month's sessions with their seat counts
    with django_assert_num_queries(3):
        coordinator_client.get(URL, {"month": "2027-01"})
    for day in (15, 22, 29):
        session = _session(dt.date(2027, 1, day))
        ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)
    with django_assert_num_queries(3):
        response = coordinator_client.get(URL, {"month": "2027-01"})
    assert response.content.count(b"capacity-item") == 5


def test_calendar_is_for_coordinators(applicant_client, preceptor_client, anonymous):
    assert applicant_client.get(URL).status_code == 403
    assert preceptor_client.get(URL).status_code == 403
    assert anonymous.get(URL).status_code == 302
