"""The 4-letter limit per program holds when the ERAS page assigns concurrently
(PostgreSQL and SQLite passes): ten threads, ten letters, one target, exactly four win."""

from __future__ import annotations

from typing import Any

import pytest

from matchway.accounts.models import User
from matchway.core.exceptions import ValidationFailed
from matchway.eras.models import ProgramTarget
from matchway.eras.services.targets import target_letter_assign
from matchway.letters.models import LetterAssignment
from matchway.letters.selectors import SYSTEM, letter_get
from matchway.letters.tests.factories import uploaded_request
from matchway.reference.loader import load_all
from tests.concurrency.helpers import run_in_waves

from .factories_programs import add_program

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def setup(transactional_db: None) -> tuple[int, int, list[int]]:
    from matchway.accounts.tests.factories import UserFactory

    load_all()
    applicant = UserFactory(role="applicant", email="racer-eras@example.com")
    ids = []
    for i in range(10):
        req = uploaded_request(applicant, writer_email=f"eras-race{i}@example.org")
        letter = letter_get(viewer=SYSTEM, letter_request=req)
        assert letter is not None
        ids.append(letter.pk)
    target = add_program(applicant)
    return applicant.pk, target.pk, ids


def test_exactly_four_letters_per_program(setup: tuple[int, int, list[int]]) -> None:
    applicant_pk, target_pk, ids = setup

    def work(letter_id: int) -> Any:
        actor = User.objects.get(pk=applicant_pk)
        target = ProgramTarget.objects.select_related("program").get(pk=target_pk)
        try:
            target_letter_assign(actor=actor, target=target, letter_id=letter_id)
        except ValidationFailed:
            return "full"
        return "ok"

    results = run_in_waves(work, ids)
    assert sorted(str(r) for r in results) == ["full"] * 6 + ["ok"] * 4, results
    assert sorted(LetterAssignment.objects.values_list("slot", flat=True)) == [1, 2, 3, 4]
