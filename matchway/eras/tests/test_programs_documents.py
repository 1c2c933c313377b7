"""Documents per program: letters through letters' own service (4 per program, a DB rule),
the statement's newest version, the checklist; waived letters are status only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchway.core.exceptions import NotFound, ValidationFailed
from matchway.eras.services.targets import (
    program_label,
    target_letter_assign,
    target_statement_set,
)
from matchway.letters.models import LetterAssignment
from matchway.letters.selectors import SYSTEM, letter_get
from matchway.letters.tests.factories import uploaded_request
from matchway.statements.tests.factories import StatementFactory, StatementVersionFactory

from .factories_programs import add_program

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def _after_commit_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Letter requests email their writer after commit; run that at once (as letters' own
    tests do) so the writer link is in the outbox."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _letters(applicant, n):
    ids = []
    for i in range(n):
        req = uploaded_request(applicant, writer_email=f"w{i}@example.org")
        ids.append(letter_get(viewer=SYSTEM, letter_request=req).pk)
    return ids


def test_four_letters_then_refused(applicant, outsider):
    ids = _letters(applicant, 5)
    target = add_program(applicant)
    for letter_id in ids[:4]:
        target_letter_assign(actor=applicant, target=target, letter_id=letter_id)
    with pytest.raises(ValidationFailed):
        target_letter_assign(actor=applicant, target=target, letter_id=ids[4])
    labels = set(LetterAssignment.objects.values_list("program_label", flat=True))
    assert labels == {program_label(target)}
    with pytest.raises(NotFound):
        target_letter_assign(actor=outsider, target=target, letter_id=ids[4])


def test_statement_and_checklist_on_the_page(applicant, applicant_client):
    [letter_id] = _letters(applicant, 1)
    target = add_program(applicant)
    page = applicant_client.get(reverse("eras:program-detail", args=[target.pk])).content
    assert "No letter assigned yet." in page.decode()
    applicant_client.post(
        reverse("eras:target-letter-add", args=[target.pk]), {"letter": letter_id}
    )
    statement = StatementFactory(applicant=applicant)
    version = StatementVersionFactory(statement=statement, number=1)
    statement_id = statement.pk
    response = applicant_client.post(
        reverse("eras:target-statement", args=[target.pk]), {"statement": statement_id}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    body = applicant_client.get(reverse("eras:program-detail", args=[target.pk])).content.decode()
    assert "Dr. Wendy Writer" in body
    assert "waived: status only" in body
    assert "Confidential letter" not in body  # never the letter's content
    assert target.statement_version == version
    assert "version 1" in body


def test_someone_elses_statement_is_not_found(applicant, outsider):
    target = add_program(applicant)
    theirs = StatementFactory(applicant=outsider)
    with pytest.raises(NotFound):
        target_statement_set(actor=applicant, target=target, statement_id=theirs.pk)
