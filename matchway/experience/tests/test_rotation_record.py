"""`rotation_record`: what each viewer sees of a rotation, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.core.exceptions import NotFound
from matchway.experience.models import Certificate, Evaluation, JournalEntry, RenderState
from matchway.experience.selectors import (
    rotation_applications_for_applicant,
    rotation_preceptors_for_applicant,
    rotation_record,
    rotation_records_for_applicant,
)
from matchway.experience.tests.factories import (
    EvaluationFactory,
    JournalEntryFactory,
    completed_application,
    confirm_days,
    running_application,
)
from matchway.rotations.models import Application, ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _certificate(application: Application, by: Any, number: str, **fields: Any) -> Certificate:
    values: dict[str, Any] = {
        "number": number,
        "application": application,
        "hours": Decimal("40"),
        "issued_by": by,
        "payload": {},
        "signature": "sig",
        "render_state": RenderState.DONE,
        "rendered_at": timezone.now(),
    }
    values.update(fields)
    return Certificate.objects.create(**values)


def _fill(application: Application, preceptor: Any, coordinator: Any, n: int = 1) -> None:
    """`n` of everything: confirmed days, shared/private/draft entries, evaluations."""
    confirm_days(application, preceptor, hours="7.5", days=n)
    for _i in range(n):
        JournalEntryFactory(application=application, shared_with_preceptor=True)
        JournalEntryFactory(application=application)
        JournalEntryFactory(application=application, is_draft=True, shared_with_preceptor=True)
        other = UserFactory(role="preceptor")
        EvaluationFactory(
            application=application, evaluator=other, submitted_at=timezone.now(), strengths="x"
        )
    _certificate(application, coordinator, f"MW-{application.pk}-R", revoked_at=timezone.now())
    _certificate(application, coordinator, f"MW-{application.pk}")


@pytest.fixture
def rotation(applicant: Any, preceptor: Any, coordinator: Any) -> Application:
    """A completed rotation with a superseded evaluation, a revoked certificate and drafts."""
    application = completed_application(applicant=applicant, preceptors=[preceptor])
    _fill(application, preceptor, coordinator)
    original = EvaluationFactory(
        application=application,
        evaluator=preceptor,
        strengths="Original words.",
        submitted_at=timezone.now() - dt.timedelta(days=2),
    )
    EvaluationFactory(
        application=application,
        evaluator=preceptor,
        addendum_to=original,
        strengths="First correction.",
        submitted_at=timezone.now() - dt.timedelta(days=1),
    )
    EvaluationFactory(
        application=application,
        evaluator=preceptor,
        addendum_to=original,
        strengths="Second correction.",
        submitted_at=timezone.now(),
    )
    # Requested but never submitted: nothing happened yet, so the record leaves it out.
    EvaluationFactory(application=application, evaluator=preceptor, phase="midpoint")
    EvaluationFactory(
        application=application, kind="self", evaluator=applicant, submitted_at=timezone.now()
    )
    return application


def test_applicant_sees_own_saved_entries_current_evaluations_and_active_certificate(
    applicant: Any, preceptor: Any, rotation: Application
) -> None:
    record = rotation_record(rotation, viewer=applicant)
    assert record.viewer_role == "owner"
    assert record.attendance_days == 1
    assert record.confirmed_hours == Decimal("7.5")
    assert len(record.journal) == 2  # shared and private, never the draft
    assert not any(e.is_draft for e in record.journal)
    mine = [e for e in record.preceptor_evaluations if e.original.evaluator == preceptor]
    (thread,) = mine
    assert thread.original.strengths == "Original words."
    assert [a.strengths for a in thread.addenda] == ["First correction.", "Second correction."]
    assert thread.current.strengths == "Second correction."
    # Superseded versions never appear as evaluations of their own.
    assert all(e.original.addendum_to_id is None for e in record.evaluations)
    assert len(record.preceptor_evaluations) == 2
    assert {e.kind for e in record.evaluations} == {"preceptor", "self"}
    assert record.certificate is not None
    assert record.certificate.number == f"MW-{rotation.pk}"
    assert [p.pk for p in record.preceptors] == [preceptor.pk]


def test_preceptor_sees_shared_entries_and_own_evaluations_only(
    preceptor: Any, rotation: Application
) -> None:
    record = rotation_record(rotation, viewer=preceptor)
    assert record.viewer_role == "preceptor"
    assert len(record.journal) == 1
    assert all(e.shared_with_preceptor and not e.is_draft for e in record.journal)
    (thread,) = record.evaluations
    assert thread.current.strengths == "Second correction."
    assert record.certificate is None
    assert record.confirmed_hours == Decimal("7.5")


def test_coordinator_sees_every_preceptor_evaluation_but_no_journal(
    coordinator: Any, rotation: Application
) -> None:
    record = rotation_record(rotation, viewer=coordinator)
    assert record.viewer_role == "coordinator"
    assert rotation.journal.filter(shared_with_preceptor=True, is_draft=False).exists()
    assert record.journal == ()
    assert len(record.evaluations) == 2
    assert {e.kind for e in record.evaluations} == {"preceptor"}
    assert record.certificate is not None


def test_outsider_and_other_preceptor_get_not_found(outsider: Any, rotation: Application) -> None:
    with pytest.raises(NotFound):
        rotation_record(rotation, viewer=outsider)
    with pytest.raises(NotFound):
        rotation_record(rotation, viewer=UserFactory(role="preceptor"))
    assert rotation_records_for_applicant(rotation.applicant, viewer=outsider) == []


def test_preceptor_does_not_see_an_application_before_it_is_confirmed(
    applicant: Any, preceptor: Any
) -> None:
    application = running_application(applicant=applicant, preceptors=[preceptor])
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    application.refresh_from_db()
    with pytest.raises(NotFound):
        rotation_record(application, viewer=preceptor)
    assert rotation_record(application, viewer=applicant).viewer_role == "owner"


@pytest.mark.parametrize("size", [1, 4])
def test_record_query_count_is_fixed(
    applicant: Any,
    preceptor: Any,
    coordinator: Any,
    django_assert_num_queries: Any,
    size: int,
) -> None:
    application = completed_application(applicant=applicant, preceptors=[preceptor])
    _fill(application, preceptor, coordinator, n=size)
    with django_assert_num_queries(6):
        record = rotation_record(application, viewer=applicant)
        _touch(record)
    with django_assert_num_queries(5):
        _touch(rotation_record(application, viewer=preceptor))


@pytest.mark.parametrize("size", [1, 3])
def test_records_for_applicant_query_count_is_fixed(
    applicant: Any,
    preceptor: Any,
    coordinator: Any,
    django_assert_num_queries: Any,
    size: int,
) -> None:
    for _i in range(size):
        application = completed_application(applicant=applicant, preceptors=[preceptor])
        _fill(application, preceptor, coordinator, n=size)
    with django_assert_num_queries(6):
        records = rotation_records_for_applicant(applicant, viewer=applicant)
        for record in records:
            _touch(record)
    assert len(records) == size


def _touch(record: Any) -> None:
    """Everything the brag sheet, statements and ERAS drafts read from a record."""
    rotation = record.rotation
    _ = (rotation.site.name, rotation.site.state, rotation.specialty.name, record.session)
    _ = (record.application.applicant.full_name, [p.full_name for p in record.preceptors])
    for evaluation in record.evaluations:
        _ = (evaluation.current.ratings, evaluation.evaluator_label, evaluation.addenda)
    _ = [e.data for e in record.journal]
    _ = (record.confirmed_hours, record.certificate)


def test_records_for_applicant_lists_confirmed_running_and_completed_newest_first(
    applicant: Any, preceptor: Any
) -> None:
    old = completed_application(applicant=applicant, preceptors=[preceptor], ended_days_ago=90)
    new = running_application(applicant=applicant, preceptors=[preceptor])
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.SUBMITTED)
    records = rotation_records_for_applicant(applicant, viewer=applicant)
    assert [r.application.pk for r in records] == [new.pk, old.pk]
    as_preceptor = rotation_records_for_applicant(applicant, viewer=preceptor)
    assert [r.application.pk for r in as_preceptor] == [new.pk, old.pk]
    assert rotation_records_for_applicant(applicant, viewer=UserFactory(role="preceptor")) == []


def test_pickers_list_the_applicants_own_rotations_and_preceptors(
    applicant: Any, outsider: Any, preceptor: Any, django_assert_num_queries: Any
) -> None:
    mine = completed_application(applicant=applicant, preceptors=[preceptor])
    completed_application(applicant=outsider, preceptors=[UserFactory(role="preceptor")])
    with django_assert_num_queries(3):  # applications, preceptors, their profiles
        applications = list(rotation_applications_for_applicant(applicant))
        _ = [a.session.rotation.site.name for a in applications]
        _ = [list(a.session.rotation.preceptors.all()) for a in applications]
    assert applications == [mine]
    assert list(rotation_applications_for_applicant(preceptor)) == []
    assert list(rotation_preceptors_for_applicant(applicant)) == [preceptor]
    assert JournalEntry.objects.count() == 0  # the pickers read no experience rows
    assert Evaluation.objects.count() == 0
