"""Invariant 1, no overbooking: many applicants race for the last seats.

Rules and reasoning: docs/dev/booking-concurrency.md.

These tests use real threads and real connections (`transactional_db`), on SQLite and on
PostgreSQL (`postgres` marker: both passes). The negative control removes the protection
and shows the same check would catch an oversell; it needs PostgreSQL, because SQLite's
IMMEDIATE transactions serialize writers even without our lock.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection, models

from matchway.accounts.models import User
from matchway.core import locking
from matchway.core.exceptions import CapacityError
from matchway.rotations.models import Application, ApplicationStatus, BookingMode, RotationSession
from matchway.rotations.selectors import seats_in_use, waitlist_position
from matchway.rotations.services import applications as applications_module
from matchway.rotations.services import applications_submit as submit_module
from matchway.rotations.services.applications_submit import application_submit, application_withdraw
from matchway.rotations.tests.factories import RotationSessionFactory

from .helpers import applicants_bulk, run_in_waves

S = ApplicationStatus
CAPACITY = 5
APPLICANTS = 200

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def session(transactional_db: None) -> RotationSession:
    return RotationSessionFactory(capacity=CAPACITY, booking_mode=BookingMode.INSTANT)


def _fresh_session(pk: int) -> RotationSession:
    # Each thread loads its own copy: model instances must not be shared across threads.
    return RotationSession.objects.select_related("rotation__site").get(pk=pk)


def _apply(session_pk: int, waitlist_every: int = 0) -> Any:
    def work(item: tuple[int, User]) -> str:
        index, user = item
        asked = bool(waitlist_every) and index % waitlist_every == 0
        try:
            application = application_submit(
                actor=user, session=_fresh_session(session_pk), waitlist=asked
            )
        except CapacityError:
            return "session_full"
        return f"{application.status}{'' if not asked else '+asked'}"

    return work


def outcome_counts(results: list[Any]) -> Counter[str]:
    return Counter(r if isinstance(r, str) else type(r).__name__ for r in results)


def assert_no_oversell(results: list[Any], session: RotationSession) -> None:
    """The invariant, checked on what the callers saw AND on the rows."""
    counts = outcome_counts(results)
    accepted = counts["accepted"] + counts["accepted+asked"]
    assert accepted == CAPACITY, counts
    assert Application.objects.filter(session=session, status=S.ACCEPTED).count() == CAPACITY
    assert seats_in_use(session) == CAPACITY


def test_exactly_capacity_wins_the_race(session: RotationSession) -> None:
    users = applicants_bulk(APPLICANTS)
    results = run_in_waves(_apply(session.pk), list(enumerate(users)))
    counts = outcome_counts(results)
    assert_no_oversell(results, session)
    assert counts == Counter({"accepted": CAPACITY, "session_full": APPLICANTS - CAPACITY})


def test_race_with_waitlist_requests(session: RotationSession) -> None:
    users = applicants_bulk(APPLICANTS)
    results = run_in_waves(_apply(session.pk, waitlist_every=3), list(enumerate(users)))
    counts = outcome_counts(results)
    assert_no_oversell(results, session)
    # Everyone else got exactly what they asked for: the waitlist, or a clean "full".
    assert set(counts) <= {"accepted", "accepted+asked", "waitlisted+asked", "session_full"}
    askers = len(range(0, APPLICANTS, 3))
    assert counts["waitlisted+asked"] + counts["accepted+asked"] == askers
    assert counts["session_full"] + counts["accepted"] == APPLICANTS - askers
    waiting = Application.objects.filter(session=session, status=S.WAITLISTED)
    positions = sorted(waitlist_position(a) or 0 for a in waiting)
    assert positions == list(range(1, counts["waitlisted+asked"] + 1))


def test_freed_seats_go_to_the_waitlist_not_to_racing_newcomers(
    session: RotationSession,
) -> None:
    """Holders withdraw while newcomers race: every freed seat goes to the waitlist head in
    the withdrawing transaction, so no newcomer can slip in between."""
    holders_users = applicants_bulk(CAPACITY, prefix="holder")
    queue_users = applicants_bulk(CAPACITY * 2, prefix="queue")
    newcomers = applicants_bulk(60, prefix="newcomer")
    holders = [application_submit(actor=u, session=session) for u in holders_users]
    queue = [application_submit(actor=u, session=session, waitlist=True) for u in queue_users]

    def work(item: tuple[str, Any]) -> str:
        kind, subject = item
        if kind == "withdraw":
            application_withdraw(actor=subject.applicant, application=subject)
            return "withdrawn"
        try:
            application_submit(actor=subject, session=_fresh_session(session.pk))
        except CapacityError:
            return "session_full"
        return "newcomer_accepted"

    items: list[tuple[str, Any]] = [("withdraw", a) for a in holders]
    items += [("apply", u) for u in newcomers]
    results = run_in_waves(work, items)
    assert outcome_counts(results) == Counter({"withdrawn": CAPACITY, "session_full": 60})
    promoted = Application.objects.filter(session=session, status=S.ACCEPTED)
    # The first CAPACITY in waitlist order got the seats, the rest are still waiting.
    assert set(promoted) == set(queue[:CAPACITY])
    assert seats_in_use(session) == CAPACITY


@pytest.fixture
def lock_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the lock with a plain read and widen the read→write window."""

    def no_lock(model: type[models.Model], pks: Any) -> dict[int, Any]:
        rows = {row.pk: row for row in model._default_manager.filter(pk__in=list(pks))}
        if locking.after_lock_hook is not None:
            locking.after_lock_hook()
        return rows

    monkeypatch.setattr(applications_module, "lock_for_update", no_lock)
    monkeypatch.setattr(submit_module, "lock_for_update", no_lock)
    monkeypatch.setattr(locking, "after_lock_hook", lambda: time.sleep(0.2))


@pytest.mark.pg_only
def test_negative_control_without_the_lock_the_race_oversells(
    session: RotationSession, lock_removed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert connection.vendor == "postgresql"
    users = applicants_bulk(40)
    # Hold every thread after its (unlocked) read until all 40 have read: then each
    # recount sees no committed seat and the oversell is certain, not a matter of timing.
    gate = threading.Barrier(len(users), timeout=10)

    def everyone_has_read() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()

    monkeypatch.setattr(locking, "after_lock_hook", everyone_has_read)
    results = run_in_waves(_apply(session.pk), list(enumerate(users)))
    with pytest.raises(AssertionError):
        assert_no_oversell(results, session)
    oversold = Application.objects.filter(session=session, status=S.ACCEPTED).count()
    assert oversold > CAPACITY, oversold


@pytest.mark.pg_only
def test_with_the_lock_the_widened_window_is_harmless(
    session: RotationSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same widened window, real lock: still exactly the capacity (the hook runs while the
    lock is held, so it only makes the others wait)."""
    monkeypatch.setattr(locking, "after_lock_hook", lambda: time.sleep(0.01))
    users = applicants_bulk(40)
    results = run_in_waves(_apply(session.pk), list(enumerate(users)))
    assert_no_oversell(results, session)
