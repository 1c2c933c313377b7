"""Two real server processes on one database: sign-out and rate limits hold across them.

Each test starts two `manage.py runserver --noreload` processes (one process each, like two
gunicorn workers) on free localhost ports against the pytest test database (the SQLite file,
or PostgreSQL in the PostgreSQL pass).

- With a per-process (locmem) cache, as in development, a session signed out on A must be
  signed out on B too: sessions live in the database only (SESSION_ENGINE = db), never in a
  per-process cache that B may still hold.
- With a shared cache (Redis db 15), failed sign-ins on A and on B add up to the configured
  limit (ACCOUNT_RATE_LIMITS["login_failed"]).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.processes import flushed_redis, two_servers

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def locmem_servers() -> Iterator[tuple[str, str]]:
    yield from two_servers("locmemcache://matchway", strip_matchway_env=False, start_seconds=60)


@pytest.fixture
def redis_servers() -> Iterator[tuple[str, str]]:
    with flushed_redis(REDIS_URL):
        yield from two_servers(REDIS_URL, strip_matchway_env=False, start_seconds=60)


def _csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _login(client: httpx.Client, email: str, password: str) -> httpx.Response:
    token = _csrf(client, "/accounts/login/")
    return client.post(
        "/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
    )


def test_sign_out_on_one_process_signs_out_on_the_other(
    locmem_servers: tuple[str, str],
) -> None:
    a, b = locmem_servers
    user: Any = UserFactory(email="two-procs@example.com")
    with httpx.Client(base_url=a) as on_a, httpx.Client(base_url=b) as on_b:
        signed_in = _login(on_a, user.email, DEFAULT_PASSWORD)
        assert signed_in.status_code == 302
        session = on_a.cookies["sessionid"]
        on_b.cookies.set("sessionid", session)
        # B reads (and, with a per-process cache, would keep) the session while it is valid.
        assert on_b.get("/dashboard/").status_code == 200

        token = _csrf(on_a, "/accounts/logout/")
        assert (
            on_a.post("/accounts/logout/", data={"csrfmiddlewaretoken": token}).status_code == 302
        )

        replay = on_b.get("/dashboard/")
        assert replay.status_code == 302
        assert replay.headers["location"].startswith("/accounts/login/")


def test_failed_sign_ins_add_up_across_processes(redis_servers: tuple[str, str]) -> None:
    a, b = redis_servers
    user: Any = UserFactory(email="limited@example.com")
    limit = 5  # ACCOUNT_RATE_LIMITS["login_failed"] = "5/5m/ip,5/5m/key"
    with httpx.Client(base_url=a) as on_a, httpx.Client(base_url=b) as on_b:
        for attempt in range(limit):
            client = on_a if attempt % 2 == 0 else on_b
            response = _login(client, user.email, "wrong-password-123")
            assert response.status_code == 200
            assert "Too many failed login attempts" not in response.text
        # Three failures on A and two on B: the limit is reached for both processes.
        for client in (on_a, on_b):
            blocked = _login(client, user.email, DEFAULT_PASSWORD)
            assert blocked.status_code == 200
            assert "Too many failed login attempts" in blocked.text
