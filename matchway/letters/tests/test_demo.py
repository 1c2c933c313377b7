from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from matchway.accounts.demo import seed as seed_people
from matchway.letters.demo import seed
from matchway.letters.models import LetterRequest, LetterStatus
from matchway.letters.selectors import SYSTEM, letter_get

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_is_idempotent(reference_data: None) -> None:
    context: dict[str, Any] = {"password": "matchway-demo", "stdout": StringIO()}
    seed_people(context)
    seed(context)
    applicant = context["users"]["applicant"]
    requests = LetterRequest.objects.filter(applicant=applicant)
    assert {r.status for r in requests} == set(LetterStatus.values)
    count = requests.count()
    seed(context)
    assert LetterRequest.objects.filter(applicant=applicant).count() == count
    waived = requests.get(writer_email="letters-demo-uploaded@example.org")
    assert waived.waived
    assert waived.finalized_at is not None
    letter = letter_get(viewer=SYSTEM, letter_request=waived)
    assert letter is not None
    assert letter.pages == 1
    with letter.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert "letters:" in context["stdout"].getvalue()
