"""At most 4 letters per program, under concurrency (SQLite and PostgreSQL passes).

Ten threads assign ten different letters to one program at once: exactly four win. The
negative control removes the service's lock and recount; the database constraint still
stores at most four, in distinct slots (the backstop works on its own).
"""

from __future__ import annotations

from typing import Any

import pytest

from matchway.accounts.models import User
from matchway.core.exceptions import ValidationFailed
from matchway.letters.models import LetterAssignment
from matchway.letters.selectors import SYSTEM, letter_get
from matchway.letters.services import assignments
from matchway.letters.services.assignments import letter_assign
from tests.concurrency.helpers import run_in_waves

from .factories import uploaded_request

pytestmark = [pytest.mark.postgres]

LETTERS = 10


@pytest.fixture
def letter_ids(transactional_db: None) -> tuple[int, list[int]]:
    from matchway.accounts.tests.factories import UserFactory

    applicant = UserFactory(role="applicant", email="racer-letters@example.com")
    ids = []
    for i in range(LETTERS):
        req = uploaded_request(applicant, writer_email=f"race-writer{i}@example.org")
        letter = letter_get(viewer=SYSTEM, letter_request=req)
        assert letter is not None
        ids.append(letter.pk)
    return applicant.pk, ids


def _assign(applicant_pk: int) -> Any:
    def work(letter_id: int) -> str:
        actor = User.objects.get(pk=applicant_pk)  # one instance per thread
        try:
            letter_assign(actor=actor, letter_id=letter_id, program_label="Race IM")
        except ValidationFailed:
            return "full"
        return "ok"

    return work


def test_exactly_four_win(letter_ids: tuple[int, list[int]]) -> None:
    applicant_pk, ids = letter_ids
    results = run_in_waves(_assign(applicant_pk), ids)
    assert sorted(str(r) for r in results) == ["full"] * 6 + ["ok"] * 4, results
    slots = list(LetterAssignment.objects.values_list("slot", flat=True))
    assert sorted(slots) == [1, 2, 3, 4]


def test_database_alone_holds_the_limit(
    letter_ids: tuple[int, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    applicant_pk, ids = letter_ids
    # Negative control: no lock and a count that always says "room left".
    monkeypatch.setattr(assignments, "lock_for_update", lambda model, pks: {})
    monkeypatch.setattr(assignments, "letter_assignment_count", lambda **kwargs: 0)
    results = run_in_waves(_assign(applicant_pk), ids)
    assert all(r in ("ok", "full") for r in results), results
    slots = list(LetterAssignment.objects.values_list("slot", flat=True))
    assert len(slots) <= 4
    assert len(set(slots)) == len(slots)
