"""Shared fixtures: personas (healthchecks' alice/bob/charlie idea) and helpers.

- `applicant`: an applicant with a profile.
- `preceptor`, `coordinator`: staff who work with that applicant.
- `outsider`: another applicant who must never see the first one's things.
- `anonymous`: a client that is not signed in.
- `kolkata_applicant` (+ `kolkata_client`): an applicant whose own time zone is Asia/Kolkata,
  10½ hours ahead of New York in winter, so their calendar date is often a day ahead.
- `la_site`: a rotation site in America/Los_Angeles, often a day behind Kolkata.
- `smtp_server`: a local SMTP server (tests/smtp_server.py) with Django's SMTP backend
  pointed at it and a 1-second EMAIL_TIMEOUT; `smtp_server.set_mode("down"|"hang"|"record")`.

Time (docs/dev/time.md): `MATCHWAY_TEST_NOW=<ISO instant>` runs the whole session at that
instant (time-machine, ticking), in every xdist worker. A test that needs a particular time
says so with the `time_machine` fixture (`time_machine.move_to(..., tick=False)`).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
import time_machine
from django.test import Client, TestCase

from matchway.accounts.tests.factories import UserFactory
from matchway.reference.loader import load_all

pytest_plugins = ["tests.browser"]

TEST_NOW_VARIABLE = "MATCHWAY_TEST_NOW"


def _test_now() -> dt.datetime | None:
    raw = os.environ.get(TEST_NOW_VARIABLE, "").strip()
    if not raw:
        return None
    instant = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        raise pytest.UsageError(f"{TEST_NOW_VARIABLE} needs a UTC offset or Z: {raw!r}")
    return instant


def pytest_configure(config: pytest.Config) -> None:
    """Start the session at MATCHWAY_TEST_NOW, if set. Runs in the controller and in every
    xdist worker (each is its own process), so every test sees the same starting instant;
    time ticks on from there, and tests may still travel further with `time_machine`."""
    instant = _test_now()
    if instant is None:
        return
    traveller = time_machine.travel(instant, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    instant = _test_now()
    return f"{TEST_NOW_VARIABLE}: tests start at {instant.isoformat()}" if instant else None


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with an empty cache: rate-limit counters (allauth's login limits
    count per client IP, and every test client is 127.0.0.1) and cached pages must not leak
    from one test into the next, whatever order xdist runs them in."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries: Any) -> Any:
    """pytest-django's fixture, with the provider caches warm when counting starts.

    Every page reads the provider (header, footer) and, for signed-in people, the current
    Terms/Privacy versions (accounts.middleware): one cached lookup each, warm in production
    and cleared here before every test. Warming them at the `with` counts what a page really
    costs and keeps pinned counts about the page itself (docs/dev/organization.md).
    """
    from contextlib import contextmanager

    from matchway.organization.selectors import organization_current, policy_consent_versions

    @contextmanager
    def counting(num: int, *args: Any, **kwargs: Any) -> Any:
        organization_current()
        policy_consent_versions()
        with django_assert_num_queries(num, *args, **kwargs) as context:
            yield context

    return counting


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")


@pytest.fixture
def smtp_server(settings: Any) -> Any:
    from tests.smtp_server import LocalSMTPServer

    server = LocalSMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def reference_data(db: None) -> None:
    load_all()


@pytest.fixture
def applicant(db: None) -> Any:
    return UserFactory(role="applicant", email="alice@example.com", full_name="Alice Adeyemi")


@pytest.fixture
def outsider(db: None) -> Any:
    return UserFactory(role="applicant", email="charlie@example.com", full_name="Charlie Okoro")


@pytest.fixture
def kolkata_applicant(db: None) -> Any:
    return UserFactory(
        role="applicant",
        email="priya@example.com",
        full_name="Priya Raman",
        timezone="Asia/Kolkata",
    )


@pytest.fixture
def la_site(db: None) -> Any:
    """A site in Los Angeles: its date is behind New York's for 3 hours a day and behind
    Kolkata's for 13½ (winter)."""
    from matchway.rotations.tests.factories import SiteFactory, StateFactory

    return SiteFactory(
        name="Pacific Coast Medical Center",
        city="Los Angeles",
        state=StateFactory(code="CA", name="California"),
        timezone="America/Los_Angeles",
    )


@pytest.fixture
def preceptor(db: None) -> Any:
    return UserFactory(role="preceptor", email="bob@example.com", full_name="Dr. Bob Brown")


@pytest.fixture
def coordinator(db: None) -> Any:
    return UserFactory(role="coordinator", email="carol@example.com", full_name="Carol Chen")


class CommittingClient(Client):
    """A test client whose requests behave as committed transactions.

    In production each request commits, so `transaction.on_commit` work (emails, task
    enqueues) runs right after it. Inside a test transaction nothing commits, so we run the
    captured callbacks at the end of each request instead.
    """

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def _client_for(user: Any) -> Client:
    client = CommittingClient()
    client.force_login(user)
    return client


@pytest.fixture
def client() -> Client:
    return CommittingClient()


@pytest.fixture
def anonymous() -> Client:
    return CommittingClient()


@pytest.fixture
def applicant_client(applicant: Any) -> Client:
    return _client_for(applicant)


@pytest.fixture
def kolkata_client(kolkata_applicant: Any) -> Client:
    return _client_for(kolkata_applicant)


@pytest.fixture
def outsider_client(outsider: Any) -> Client:
    return _client_for(outsider)


@pytest.fixture
def preceptor_client(preceptor: Any) -> Client:
    return _client_for(preceptor)


@pytest.fixture
def coordinator_client(coordinator: Any) -> Client:
    return _client_for(coordinator)


@pytest.fixture
def persona_clients(
    applicant_client: Client,
    outsider_client: Client,
    preceptor_client: Client,
    coordinator_client: Client,
    anonymous: Client,
) -> dict[str, Client]:
    return {
        "applicant": applicant_client,
        "outsider": outsider_client,
        "preceptor": preceptor_client,
        "coordinator": coordinator_client,
        "anonymous": anonymous,
    }


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`sqlite_only(reason=...)` tests skip on any other database (make test-pg deselects
    them by marker already; this covers a hand-run `DATABASE_URL=postgres://… pytest`)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
