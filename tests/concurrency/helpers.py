"""Thread harness for race tests: many real connections hitting the same rows at once.

Each worker runs in its own thread with its own database connection (Django connections
are thread-local) and closes it at the end, so PostgreSQL's connection limit (100 here)
is respected. Workers start in waves behind a barrier so each wave really collides.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connections

from matchway.accounts.models import User

T = TypeVar("T")
R = TypeVar("R")

# ≤ 80 per the house rule; 50 leaves room for other test runs on the shared PostgreSQL.
MAX_THREADS = 50


def run_in_waves(
    work: Callable[[T], R], items: Sequence[T], *, max_threads: int = MAX_THREADS
) -> list[R | BaseException]:
    """Run `work(item)` for every item, at most `max_threads` at once, each wave released
    together by a barrier. Returns results (or the exception raised) in item order."""
    results: list[R | BaseException] = [RuntimeError("did not run")] * len(items)
    for start in range(0, len(items), max_threads):
        wave = list(range(start, min(start + max_threads, len(items))))
        barrier = threading.Barrier(len(wave))

        def run(index: int, barrier: threading.Barrier = barrier) -> None:
            try:
                barrier.wait(timeout=30)
                results[index] = work(items[index])
            except BaseException as exc:  # recorded and asserted on by the test
                results[index] = exc
            finally:
                connections.close_all()  # this thread's connection only

        threads = [threading.Thread(target=run, args=(i,)) for i in wave]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return results


def applicants_bulk(count: int, prefix: str = "racer") -> list[User]:
    """Create `count` applicant users in one INSERT (hashing one password, not `count`)."""
    password = make_password("race-test-password")
    users = [
        User(email=f"{prefix}{i}@example.com", full_name=f"Racer {i}", password=password)
        for i in range(count)
    ]
    return User.objects.bulk_create(users)
