"""Two tabs (or many) saving at once never collide on a version number or lose a text.

Real threads and connections (`transactional_db`), on SQLite and PostgreSQL (`postgres`).
"""

from __future__ import annotations

from typing import Any

import pytest

from matchway.accounts.tests.factories import UserFactory
from matchway.core.exceptions import BusyError
from matchway.statements import services
from matchway.statements.models import Statement, VersionSource
from tests.concurrency.helpers import run_in_waves

pytestmark = [pytest.mark.postgres]
WRITERS = 12


def test_concurrent_saves_get_distinct_consecutive_numbers(transactional_db: None) -> None:
    user = UserFactory(role="applicant", email="racer@example.com")
    statement = services.statement_create(actor=user, title="Race", body="Version one.")

    def save(n: int) -> Any:
        fresh = Statement.objects.get(pk=statement.pk)
        return services.statement_save(
            actor=user, statement=fresh, body=f"Text from tab {n}.", source=VersionSource.MANUAL
        )

    results = run_in_waves(save, list(range(WRITERS)))
    unexpected = [r for r in results if isinstance(r, BaseException)]
    # Under PostgreSQL's short lock timeout a writer may be told "busy, retry"; nothing else.
    assert all(isinstance(r, BusyError) for r in unexpected), unexpected
    saved = [r for r in results if not isinstance(r, BaseException)]
    numbers = sorted(statement.versions.values_list("number", flat=True))
    assert numbers == list(range(1, len(saved) + 2))
    bodies = set(statement.versions.values_list("body", flat=True))
    assert {r.version.body for r in saved} <= bodies
