from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.documents.models import Document, DocumentStatus, DocumentType
from matchway.documents.selectors import (
    document_current_for,
    document_list_for_user,
    document_review_queue,
    document_status_for_types,
    document_vault_rows,
    document_vault_summary,
)
from matchway.documents.services import document_reject, document_verify

from .factories import upload_document

pytestmark = pytest.mark.django_db


def test_status_for_types_covers_every_state(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    today = timezone.localdate()
    upload_document(applicant, "cv")
    document_verify(actor=coordinator, document=upload_document(applicant, "usmle_step1"))
    document_reject(
        actor=coordinator, document=upload_document(applicant, "usmle_step2ck"), reason="Blurry."
    )
    expiring = upload_document(applicant, "passport", expires_on=today + timedelta(days=20))
    document_verify(actor=coordinator, document=expiring)
    lapsed = upload_document(applicant, "bls_acls", expires_on=today + timedelta(days=2))
    Document.objects.filter(pk=lapsed.pk).update(expires_on=today - timedelta(days=1))
    marked = upload_document(applicant, "health_insurance", expires_on=today + timedelta(days=9))
    Document.objects.filter(pk=marked.pk).update(status=DocumentStatus.EXPIRED)

    types = [
        "cv",
        "usmle_step1",
        "usmle_step2ck",
        "passport",
        "bls_acls",
        "health_insurance",
        "photo",
    ]
    statuses = document_status_for_types(
        owner=applicant, types=types, until=today + timedelta(days=60)
    )
    assert statuses == {
        "cv": "uploaded",
        "usmle_step1": "verified",
        "usmle_step2ck": "rejected",
        "passport": "expiring",
        "bls_acls": "expired",  # past its date even before the periodic job marks it
        "health_insurance": "expired",
        "photo": "missing",
    }
    # Without a horizon (or one before the expiry) the passport is simply verified.
    assert document_status_for_types(owner=applicant, types=["passport"], until=None) == {
        "passport": "verified"
    }
    assert document_status_for_types(
        owner=applicant, types=["passport"], until=today + timedelta(days=20)
    ) == {"passport": "verified"}


def test_status_for_types_accepts_type_objects_and_uses_one_query(
    applicant: Any, reference_data: None, django_assert_num_queries: Any
) -> None:
    upload_document(applicant, "cv")
    types = list(DocumentType.objects.filter(code__in=["cv", "photo"]))
    with django_assert_num_queries(1):
        statuses = document_status_for_types(owner=applicant, types=types, until=None)
    assert statuses == {"cv": "uploaded", "photo": "missing"}


def test_current_for_returns_only_current_versions_of_the_owner(
    applicant: Any, outsider: Any, reference_data: None
) -> None:
    upload_document(applicant, "cv")
    newest = upload_document(applicant, "cv")
    upload_document(outsider, "photo", content=_png(), name="p.png")
    current = document_current_for(applicant, ["cv", "photo"])
    assert current == {"cv": newest}


def _png() -> bytes:
    from .samples import make_png

    return make_png()


def test_list_for_user_hides_other_peoples_documents(
    applicant: Any, outsider: Any, preceptor: Any, coordinator: Any, reference_data: None
) -> None:
    mine = upload_document(applicant, "cv")
    theirs = upload_document(outsider, "cv")
    assert list(document_list_for_user(user=applicant)) == [mine]
    assert list(document_list_for_user(user=outsider)) == [theirs]
    assert set(document_list_for_user(user=coordinator)) == {mine, theirs}
    visible = set(document_list_for_user(user=preceptor))
    assert mine not in visible
    assert theirs not in visible


def test_review_queue_filters(applicant: Any, coordinator: Any, reference_data: None) -> None:
    other = UserFactory(role="applicant", full_name="Zed Zulu", email="zed@example.com")
    cv = upload_document(applicant, "cv")
    upload_document(applicant, "cv")  # newest: only current versions are listed
    zed_cv = upload_document(other, "cv")
    step1 = upload_document(other, "usmle_step1")
    document_verify(actor=coordinator, document=step1)

    waiting = list(document_review_queue())
    assert cv not in waiting
    assert zed_cv in waiting
    assert step1 not in waiting
    assert list(document_review_queue(status="verified")) == [step1]
    assert len(document_review_queue(status="")) == 3
    assert list(document_review_queue(q="zulu")) == [zed_cv]
    assert list(document_review_queue(status="", type_code="usmle_step1")) == [step1]


def test_vault_rows_cover_every_type_in_three_queries(
    applicant: Any, reference_data: None, django_assert_num_queries: Any
) -> None:
    upload_document(applicant, "cv")
    upload_document(applicant, "cv")
    with django_assert_num_queries(3):
        rows = document_vault_rows(owner=applicant)
    assert len(rows) == DocumentType.objects.count()
    cv = next(row for row in rows if row.type.code == "cv")
    assert cv.versions == 2
    assert cv.status == "uploaded"
    assert cv.current is not None
    assert cv.current.is_current


def test_vault_summary_counts(applicant: Any, coordinator: Any, reference_data: None) -> None:
    today = timezone.localdate()
    document_verify(actor=coordinator, document=upload_document(applicant, "cv"))
    upload_document(applicant, "passport", expires_on=today + timedelta(days=10))
    assert document_vault_summary(owner=applicant) == {
        "verified": 1,
        "waiting": 1,
        "rejected": 0,
        "expired": 0,
        "expiring": 1,
    }
