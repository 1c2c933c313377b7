"""Rotations' answer to the documents retention rule (`retention.documents_needed`) and the
preceptor's view of an erased document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from matchway.accounts.tests.factories import UserFactory
from matchway.core.discovery import retention_hooks
from matchway.documents.models import DocumentStatus
from matchway.rotations import retention
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.selectors import document_list_for_preceptor
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = pytest.mark.django_db


def _session(end: dt.date, **extra: Any) -> Any:
    return RotationSessionFactory(start_date=end - dt.timedelta(days=27), end_date=end, **extra)


def test_hook_is_registered() -> None:
    assert retention.documents_needed in retention_hooks()


def test_in_use_last_rotation_or_nothing(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 1, 17, 0, tzinfo=dt.UTC), tick=False)
    finished, busy, waiting, never, stranger = (UserFactory(role="applicant") for _ in range(5))
    rows = [
        (finished, dt.date(2026, 3, 31), "completed"),
        (finished, dt.date(2026, 9, 30), "completed"),
        (finished, dt.date(2027, 9, 30), "declined"),
        (busy, dt.date(2025, 3, 31), "completed"),
        (busy, dt.date(2027, 6, 30), "confirmed"),
        (waiting, dt.date(2027, 6, 30), "waitlisted"),
        (never, dt.date(2026, 6, 30), "withdrawn"),
    ]
    for person, end, status in rows:
        ApplicationFactory(applicant=person, session=_session(end), status=status)

    ids = [u.pk for u in (finished, busy, waiting, never)]
    assert retention.documents_needed(ids) == {
        finished.pk: dt.date(2026, 9, 30),
        busy.pk: None,
        waiting.pk: None,
    }
    assert stranger.pk not in retention.documents_needed([stranger.pk])


@pytest.mark.parametrize(
    ("instant", "in_use"),
    [
        # 23:30 on Mar 31 in Los Angeles (already Apr 1 in New York): the last day is not over.
        (dt.datetime(2027, 4, 1, 6, 30, tzinfo=dt.UTC), True),
        (dt.datetime(2027, 4, 1, 7, 30, tzinfo=dt.UTC), False),
    ],
)
def test_the_last_day_counts_at_the_site(
    instant: dt.datetime,
    in_use: bool,
    la_site: Any,
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(instant, tick=False)
    person = UserFactory(role="applicant")
    ApplicationFactory(
        applicant=person,
        session=_session(dt.date(2027, 3, 31), rotation__site=la_site),
        status=ApplicationStatus.COMPLETED,
    )
    expected = None if in_use else dt.date(2027, 3, 31)
    assert retention.documents_needed([person.pk]) == {person.pk: expected}


def test_one_query_per_chunk(django_assert_num_queries: Any) -> None:
    people = [UserFactory(role="applicant") for _ in range(3)]
    for person in people:
        ApplicationFactory(applicant=person, status="completed")
    with django_assert_num_queries(1):
        retention.documents_needed([p.pk for p in people])


def test_preceptor_does_not_see_an_erased_document() -> None:
    from matchway.documents.tests.factories import DocumentFactory

    preceptor = UserFactory(role="preceptor")
    doc_type = DocumentTypeFactory(code="passport", name="Passport")
    rotation = RotationFactory(required_document_types=[doc_type])
    rotation.preceptors.add(preceptor)
    application = ApplicationFactory(
        session=RotationSessionFactory(rotation=rotation), status=ApplicationStatus.CONFIRMED
    )
    document = DocumentFactory(owner=application.applicant, type=doc_type)
    assert list(document_list_for_preceptor(user=preceptor)) == [document]
    document.status = DocumentStatus.ERASED
    document.save()
    assert list(document_list_for_preceptor(user=preceptor)) == []
