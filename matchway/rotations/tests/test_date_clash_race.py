"""No date clashes under concurrency: two coordinators confirm two overlapping held
applications of ONE applicant at the same moment. They lock different sessions, so only the
per-applicant lock (`lock_for_update(User, [applicant])` in `application_confirm`) stops
both from seeing "no confirmed overlap" and both confirming.

Real threads and connections (`transactional_db`). The race test also runs on SQLite
(`postgres` marker: both passes); the negative control needs PostgreSQL, because SQLite's
IMMEDIATE transactions serialize writers even without our lock (docs/dev/
booking-concurrency.md "No date clashes").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import threading
import time
from collections.abc import Iterable
from typing import Any

import pytest
from django.db import connection, models

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.core import clock, locking
from matchway.core.exceptions import DateConflict
from matchway.rotations.models import Application, ApplicationStatus
from matchway.rotations.services import applications_decide as decide_module
from matchway.rotations.services.applications_decide import application_confirm
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)
from tests.concurrency.helpers import run_in_waves

S = ApplicationStatus


@pytest.fixture
def two_holds(transactional_db: None) -> tuple[User, list[int], list[User]]:
    applicant = UserFactory(role="applicant")
    start = clock.provider_today() + dt.timedelta(days=60)
    ids = []
    for offset, title in ((0, "Cardiology Clerkship"), (14, "Neurology Observership")):
        session = RotationSessionFactory(
            rotation=RotationFactory(title=title, deposit_cents=0),
            start_date=start + dt.timedelta(days=offset),
            end_date=start + dt.timedelta(days=offset + 27),  # overlaps the other by 14 days
        )
        ids.append(ApplicationFactory(applicant=applicant, session=session, status=S.ACCEPTED).pk)
    coordinators = [UserFactory(role="coordinator") for _ in ids]
    return applicant, ids, coordinators


def _confirm(item: tuple[int, User]) -> str:
    application_id, coordinator = item
    # Each thread loads its own instances: model instances are not shared across threads.
    application = Application.objects.get(pk=application_id)
    actor = User.objects.get(pk=coordinator.pk)
    try:
        application_confirm(actor=actor, application=application)
    except DateConflict:
        return "date_conflict"
    return "confirmed"


def _outcomes(two_holds: Any) -> list[Any]:
    _applicant, ids, coordinators = two_holds
    return run_in_waves(_confirm, list(zip(ids, coordinators, strict=True)))


@pytest.mark.postgres
def test_only_one_of_two_simultaneous_overlapping_confirmations_wins(
    two_holds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Widen the window: whoever holds the applicant's lock sleeps with it; the other waits.
    monkeypatch.setattr(locking, "after_lock_hook", lambda: time.sleep(0.2))
    results = _outcomes(two_holds)
    assert sorted(map(str, results)) == ["confirmed", "date_conflict"], results
    _applicant, ids, _ = two_holds
    statuses = sorted(Application.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == [S.ACCEPTED, S.CONFIRMED]


@pytest.mark.pg_only
def test_negative_control_without_the_applicant_lock_both_confirm(
    two_holds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Remove the per-applicant lock (the session locks stay: they are different rows) and
    hold both threads after their session lock until both got there: each then checks for a
    confirmed overlap before the other commits, and both confirm — the race test above
    would catch a missing lock."""
    assert connection.vendor == "postgresql"
    real_lock = locking.lock_for_update
    gate = threading.Barrier(2, timeout=10)

    def lock_without_applicant(model: type[models.Model], pks: Iterable[int]) -> dict[int, Any]:
        if model is User:
            return {}
        return real_lock(model, pks)

    calls = itertools.count()

    def both_locked_their_session() -> None:
        # Only the first lock of each thread waits: later locks (the invoice number taken
        # when confirming) are one row both threads need in turn, so a gate there would
        # hold one thread while the other waits for its row lock.
        if next(calls) >= 2:
            return
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()

    monkeypatch.setattr(decide_module, "lock_for_update", lock_without_applicant)
    monkeypatch.setattr(locking, "after_lock_hook", both_locked_their_session)
    results = _outcomes(two_holds)
    assert sorted(map(str, results)) == ["confirmed", "confirmed"], results
