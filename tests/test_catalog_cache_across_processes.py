"""Two real server processes share one Redis cache: a booking made through one is in the
catalog the other serves at once (docs/dev/caching.md).

Each server caches the rendered catalog fragment in Redis under the catalog version. A
booking through server A bumps that version in Redis (right away and again on commit), so
server B's next request misses its old fragment and renders the new seat count: no waiting
for the fragment's timeout. Redis db 11 is dedicated to this test and flushed around it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from matchway.accounts.services.accounts import api_token_create
from matchway.accounts.tests.factories import UserFactory
from matchway.rotations.models import BookingMode
from matchway.rotations.tests.factories import RotationFactory, RotationSessionFactory
from tests.processes import flushed_redis
from tests.processes import two_servers as _two_servers

REDIS_URL = "redis://127.0.0.1:6379/11"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_db() -> Iterator[Any]:
    with flushed_redis(REDIS_URL) as client:
        yield client


@pytest.fixture
def two_servers(redis_db: Any) -> Iterator[tuple[str, str]]:
    # As before the helper was shared: these servers get no MATCHWAY_* variables either.
    yield from _two_servers(REDIS_URL, strip_matchway_env=True, start_seconds=90)


def test_a_booking_through_one_process_shows_in_the_catalog_of_the_other_at_once(
    redis_db: Any, two_servers: tuple[str, str]
) -> None:
    a, b = two_servers
    rotation = RotationFactory(title="Cross-process Cardiology")
    session = RotationSessionFactory(
        rotation=rotation, capacity=1, booking_mode=BookingMode.INSTANT
    )
    applicant: Any = UserFactory(role="applicant")
    raw, _token = api_token_create(user=applicant, name="two processes")

    with httpx.Client(base_url=a) as on_a, httpx.Client(base_url=b) as on_b:
        for client in (on_b, on_a, on_b):  # B renders and caches; A and B then read it
            page = client.get("/rotations/")
            assert page.status_code == 200
            assert "Cross-process Cardiology" in page.text
            assert "1 of 1 seat open" in page.text
        fragment = on_b.get("/rotations/", headers={"HX-Request": "true"}).text
        assert "1 of 1 seat open" in fragment
        # The fragments really live in the shared cache (not in each process).
        assert any(b"rotations:catalog:html" in key for key in redis_db.keys("*"))

        booked = on_a.post(
            f"/api/v1/sessions/{session.pk}/applications",
            json={},
            headers={"Authorization": f"Bearer {raw}"},
        )
        assert booked.status_code == 201, booked.text
        assert booked.json()["status"] == "accepted"  # an instant seat, held

        # At once, on the other process: no waiting for the fragment's 60 s timeout.
        page = on_b.get("/rotations/")
        assert "1 of 1 seat open" not in page.text
        assert "Full" in page.text
        fragment = on_b.get("/rotations/", headers={"HX-Request": "true"}).text
        assert "1 of 1 seat open" not in fragment
        assert "Full" in fragment
        assert "Full" in on_a.get("/rotations/").text
