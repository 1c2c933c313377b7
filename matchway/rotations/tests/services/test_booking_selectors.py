"""Seat arithmetic and permission-filtered reads (matchway/rotations/selectors.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.documents.models import Document, DocumentStatus
from matchway.rotations.models import ApplicationStatus, Rotation, RotationSession
from matchway.rotations.selectors import (
    application_get_for_user,
    application_list_for_user,
    document_ids_visible_to_preceptor,
    document_list_for_preceptor,
    seats_available,
    seats_in_use,
    session_list_with_seats,
    waitlist_position,
)
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

S = ApplicationStatus


def test_seats_in_use_counts_holds_and_seated_states(instant_session: RotationSession) -> None:
    now = timezone.now()
    for status in (S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED, S.ACCEPTED):
        ApplicationFactory(session=instant_session, status=status)
    for status in (S.SUBMITTED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN, S.EXPIRED, S.CANCELLED):
        ApplicationFactory(session=instant_session, status=status)
    lapsed = ApplicationFactory(session=instant_session, status=S.ACCEPTED)
    lapsed.hold_expires_at = now - dt.timedelta(seconds=1)
    lapsed.save()
    assert seats_in_use(instant_session, now) == 4
    # The live hold stops counting the instant it lapses, with no job in between.
    assert seats_in_use(instant_session, now + dt.timedelta(hours=73)) == 3


def test_seats_available_never_negative(instant_session: RotationSession) -> None:
    ApplicationFactory.create_batch(3, session=instant_session, status=S.CONFIRMED)
    assert seats_available(instant_session) == 0


def test_session_list_with_seats_is_one_query(
    rotation: Rotation, django_assert_num_queries: Any
) -> None:
    sessions = RotationSessionFactory.create_batch(3, rotation=rotation, capacity=3)
    ApplicationFactory.create_batch(2, session=sessions[0], status=S.ACCEPTED)
    ApplicationFactory(session=sessions[1], status=S.CONFIRMED)
    ApplicationFactory(session=sessions[1], status=S.WAITLISTED)
    with django_assert_num_queries(1):
        rows = list(session_list_with_seats(RotationSession.objects.order_by("pk")))
        assert [seats_available(s) for s in rows] == [1, 2, 3]
        assert [s.waitlist_count for s in rows] == [0, 1, 0]  # type: ignore[attr-defined]
    assert [seats_in_use(s) for s in rows] == [s.seats_used for s in rows]  # type: ignore[attr-defined]


def test_waitlist_position_is_derived_from_order(instant_session: RotationSession) -> None:
    base = timezone.now()
    rows = []
    for minutes in (3, 1, 2):
        row = ApplicationFactory(session=instant_session, status=S.WAITLISTED)
        row.waitlisted_at = base + dt.timedelta(minutes=minutes)
        row.save()
        rows.append(row)
    assert [waitlist_position(r) for r in rows] == [3, 1, 2]
    rows[1].status = S.WITHDRAWN
    rows[1].save()
    assert [waitlist_position(r) for r in rows] == [2, None, 1]


def test_application_list_for_user_by_role(
    applicant: User,
    outsider: User,
    preceptor: User,
    coordinator: User,
    instant_session: RotationSession,
) -> None:
    mine = ApplicationFactory(applicant=applicant, session=instant_session, status=S.SUBMITTED)
    confirmed = ApplicationFactory(session=instant_session, status=S.CONFIRMED)
    elsewhere = ApplicationFactory(status=S.CONFIRMED)  # another rotation, not precepted
    assert list(application_list_for_user(user=applicant)) == [mine]
    assert list(application_list_for_user(user=outsider)) == []
    assert list(application_list_for_user(user=preceptor)) == [confirmed]
    assert set(application_list_for_user(user=coordinator)) == {mine, confirmed, elsewhere}
    assert application_get_for_user(user=outsider, pk=mine.pk) is None
    assert application_get_for_user(user=preceptor, pk=mine.pk) is None  # not confirmed
    assert application_get_for_user(user=applicant, pk=mine.pk) == mine


def test_application_list_is_constant_in_queries(
    applicant: User, rotation: Rotation, django_assert_num_queries: Any
) -> None:
    for _ in range(4):
        session = RotationSessionFactory(rotation=rotation)
        ApplicationFactory(applicant=applicant, session=session, status=S.WAITLISTED)
    with django_assert_num_queries(1):
        rows = list(application_list_for_user(user=applicant))
        labels = [
            (r.session.rotation.title, r.session.rotation.site.name, waitlist_position(r))
            for r in rows
        ]
    assert [label[2] for label in labels] == [1, 1, 1, 1]


@pytest.fixture
def cv(db: None) -> Any:
    return DocumentTypeFactory(code="cv", name="Curriculum vitae")


def _document(owner: User, doc_type: Any, **kwargs: Any) -> Document:
    return Document.objects.create(
        owner=owner,
        type=doc_type,
        file=f"documents/{owner.pk}/x",
        original_name="x.pdf",
        sha256="0" * 64,
        size=1,
        content_type="application/pdf",
        status=DocumentStatus.VERIFIED,
        **kwargs,
    )


def test_preceptor_sees_required_documents_of_confirmed_applicants(
    applicant: User, outsider: User, preceptor: User, cv: Any, instant_session: RotationSession
) -> None:
    passport = DocumentTypeFactory(code="passport", name="Passport")
    instant_session.rotation.required_document_types.set([cv])
    ApplicationFactory(applicant=applicant, session=instant_session, status=S.CONFIRMED)
    ApplicationFactory(applicant=outsider, session=instant_session, status=S.ACCEPTED)
    old = _document(applicant, cv, is_current=False)
    current = _document(applicant, cv)
    not_required = _document(applicant, passport)
    outsiders = _document(outsider, cv)
    ids = document_ids_visible_to_preceptor(user=preceptor)
    assert ids == [current.pk]
    assert old.pk not in ids
    assert not_required.pk not in ids
    assert outsiders.pk not in ids
    # The queryset rotations hands to documents.downloads for the preceptor's downloads.
    assert list(document_list_for_preceptor(user=preceptor)) == [current]


def test_type_must_be_required_by_the_same_rotation(
    applicant: User, preceptor: User, cv: Any, instant_session: RotationSession
) -> None:
    """Requiring a CV in another rotation (not precepted) does not open this applicant's CV."""
    ApplicationFactory(applicant=applicant, session=instant_session, status=S.CONFIRMED)
    other = RotationFactory(required_document_types=[cv])
    ApplicationFactory(
        applicant=applicant, session=RotationSessionFactory(rotation=other), status=S.CONFIRMED
    )
    _document(applicant, cv)
    assert document_ids_visible_to_preceptor(user=preceptor) == []


def test_only_preceptors_get_document_ids(applicant: User, coordinator: User) -> None:
    assert document_ids_visible_to_preceptor(user=applicant) == []
    assert document_ids_visible_to_preceptor(user=coordinator) == []
    assert document_ids_visible_to_preceptor(user=UserFactory(role="preceptor")) == []
