"""The ONE locking helper (pretix's `lock_objects`). Rules: docs/dev/booking-concurrency.md.

Lock late, once per transaction, then recount and write. On PostgreSQL a short
`lock_timeout` turns a long wait into `BusyError` ("busy, please retry"), never a 500.
On SQLite `select_for_update` is a no-op: IMMEDIATE transactions serialize writers instead,
so the recount that follows is still safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, models, transaction

from .exceptions import BusyError

M = TypeVar("M", bound=models.Model)

# Tests set this to widen the race window between the lock and the recount; it must stay
# None in production code paths.
after_lock_hook: Callable[[], None] | None = None


def lock_for_update(model: type[M], pks: Iterable[int]) -> dict[int, M]:
    """Lock rows of `model` by primary key, in pk order, and return them fresh.

    Must be called inside `transaction.atomic`. Raises `BusyError` when PostgreSQL could
    not get the lock within LOCK_TIMEOUT_MS.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_for_update() must run inside transaction.atomic().")
    ordered = sorted(set(pks))
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # SET LOCAL ends with the transaction, so it cannot leak to other work.
                cursor.execute(
                    "SET LOCAL lock_timeout = %s", [f"{int(settings.LOCK_TIMEOUT_MS)}ms"]
                )
        rows = list(
            model._default_manager.select_for_update().filter(pk__in=ordered).order_by("pk")
        )
    except OperationalError as exc:
        if is_lock_timeout(exc):
            raise BusyError() from exc
        raise
    if after_lock_hook is not None:
        after_lock_hook()
    return {row.pk: row for row in rows}


def is_lock_timeout(exc: BaseException) -> bool:
    """True when `exc` is the database saying it could not get a lock in time.

    PostgreSQL: SQLSTATE 55P03 (lock_not_available, psycopg `errors.LockNotAvailable`, what
    `lock_timeout` raises) or 40P01 (deadlock_detected); SQLite: "database is locked" once
    the busy timeout runs out. The API and ApplicationErrorMiddleware turn these into
    `BusyError` (503 busy with Retry-After), wherever in a request they happen.
    """
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    # 55P03 lock_not_available; 40P01 deadlock_detected; SQLite reports "database is locked".
    return sqlstate in ("55P03", "40P01") or "database is locked" in str(exc)


@contextmanager
def booking_transaction() -> Iterator[None]:
    """The transaction capacity services open: durable, so nesting is a bug we notice.

    SQLite's IMMEDIATE mode takes the write lock at BEGIN; when the busy timeout runs out
    there, or PostgreSQL times out anywhere inside, the caller gets `BusyError`.
    """
    try:
        with transaction.atomic(durable=True):
            yield
    except OperationalError as exc:
        if is_lock_timeout(exc):
            raise BusyError() from exc
        raise
