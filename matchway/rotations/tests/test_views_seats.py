"""Honest scarcity (issue #19): seat badges state facts, never urgency.

"4 of 4 seats open" for a session nobody booked, "Full — waitlist 2" for a full one, and
the number comes from the same seat arithmetic booking recounts under its lock
(`selectors.seat_filter`): a lapsed hold frees its seat on the page as in booking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from matchway.core import clock
from matchway.rotations.models import ApplicationStatus, BookingMode
from matchway.rotations.selectors import seats_in_use
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = pytest.mark.django_db
CATALOG = "/rotations/"

# Wording and styling a seat badge must never use (lower-cased substrings of the page).
BANNED = [
    "only 1 seat",
    "only 2 seats",
    "only 3 seats",
    "seat left",
    "seats left",
    "last seat",
    "almost full",
    "filling fast",
    "filling up",
    "hurry",
    "don't miss",
    "don’t miss",
    "selling fast",
    "book now before",
    "few seats",
    "badge-warn",
    "badge-bad",
]


@pytest.fixture(autouse=True)
def _no_fragment_cache(settings: Any) -> None:
    settings.ROTATIONS_CATALOG_CACHE_SECONDS = 0
    cache.clear()


def _session(capacity: int = 4, **kwargs: Any) -> Any:
    rotation = RotationFactory(title="Honest Seats Rotation", slug="honest-seats")
    start = clock.provider_today() + dt.timedelta(days=40)
    return RotationSessionFactory(
        rotation=rotation,
        capacity=capacity,
        start_date=start,
        end_date=start + dt.timedelta(days=27),
        **kwargs,
    )


def _pages(client: Client, session: Any) -> list[str]:
    return [
        client.get(CATALOG).content.decode(),
        client.get(session.rotation.get_absolute_url()).content.decode(),
    ]


def _assert_no_urgency(html: str) -> None:
    lowered = html.lower()
    found = [phrase for phrase in BANNED if phrase in lowered]
    assert not found, found


@pytest.mark.parametrize("persona", ["anonymous", "applicant_client"])
def test_unbooked_session_shows_all_seats_open_and_no_urgency(
    request: pytest.FixtureRequest, reference_data: None, persona: str
) -> None:
    client = request.getfixturevalue(persona)
    session = _session(capacity=4)
    for html in _pages(client, session):
        assert "4 of 4 seats open" in html
        _assert_no_urgency(html)


def test_nearly_full_session_is_stated_calmly(anonymous: Client, reference_data: None) -> None:
    session = _session(capacity=4)
    ApplicationFactory.create_batch(3, session=session, status=ApplicationStatus.CONFIRMED)
    for html in _pages(anonymous, session):
        assert "1 of 4 seats open" in html
        _assert_no_urgency(html)


def test_full_session_shows_the_waitlist_count(anonymous: Client, reference_data: None) -> None:
    session = _session(capacity=2)
    ApplicationFactory.create_batch(2, session=session, status=ApplicationStatus.CONFIRMED)
    ApplicationFactory.create_batch(2, session=session, status=ApplicationStatus.WAITLISTED)
    # Not waiting: withdrawn and declined rows are not part of the count.
    ApplicationFactory(session=session, status=ApplicationStatus.WITHDRAWN)
    for html in _pages(anonymous, session):
        assert "Full — waitlist 2" in html
        _assert_no_urgency(html)


def test_full_without_waitlist_says_full(anonymous: Client, reference_data: None) -> None:
    session = _session(capacity=1, booking_mode=BookingMode.REVIEW)
    ApplicationFactory(session=session, status=ApplicationStatus.IN_PROGRESS)
    for html in _pages(anonymous, session):
        assert "Full" in html
        assert "waitlist 0" not in html
        _assert_no_urgency(html)


def test_badge_uses_the_booking_arithmetic(anonymous: Client, reference_data: None) -> None:
    """A held seat counts; a lapsed hold, a submitted or waitlisted application does not —
    exactly what `seats_in_use` (booking's recount) says."""
    session = _session(capacity=4)
    ApplicationFactory(session=session, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(
        session=session,
        status=ApplicationStatus.ACCEPTED,
        hold_expires_at=clock.now() - dt.timedelta(minutes=1),
    )
    ApplicationFactory(session=session, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(session=session, status=ApplicationStatus.COMPLETED)
    open_seats = session.capacity - seats_in_use(session)
    assert open_seats == 2
    for html in _pages(anonymous, session):
        assert f"{open_seats} of 4 seats open" in html


def test_apply_page_badge_is_factual(applicant_client: Client, reference_data: None) -> None:
    session = _session(capacity=3)
    html = applicant_client.get(reverse("rotations:apply", args=[session.pk])).content.decode()
    assert "3 of 3 seats open" in html
    _assert_no_urgency(html)
