"""`document_standing`: the one rule for verified / uploaded / rejected / expired / expiring /
missing, used by the vault, the application checklist and the catalog."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from matchway.documents.models import Document, DocumentStatus, DocumentType
from matchway.documents.selectors import DocumentStanding, document_standing, document_status_for

from .factories import upload_document

TODAY = date(2026, 3, 10)
SESSION_END = date(2026, 4, 30)
S = DocumentStatus
D = DocumentStanding


def _doc(
    status: str = S.VERIFIED,
    expires_on: date | None = None,
    issued_on: date | None = None,
    valid_for_days: int | None = None,
) -> Document:
    """An unsaved document: the rule is pure, no database needed."""
    doc_type = DocumentType(code="t", name="T", max_size_bytes=1, valid_for_days=valid_for_days)
    return Document(type=doc_type, status=status, expires_on=expires_on, issued_on=issued_on)


@pytest.mark.parametrize(
    ("document", "on", "expected"),
    [
        (None, SESSION_END, D.MISSING),
        (_doc(S.REJECTED), SESSION_END, D.REJECTED),
        # rejected wins even over a lapsed date
        (_doc(S.REJECTED, expires_on=TODAY - timedelta(days=1)), SESSION_END, D.REJECTED),
        (_doc(S.EXPIRED), SESSION_END, D.EXPIRED),
        (_doc(S.VERIFIED, expires_on=TODAY - timedelta(days=1)), None, D.EXPIRED),
        (_doc(S.UPLOADED, expires_on=TODAY - timedelta(days=1)), None, D.EXPIRED),
        (_doc(S.VERIFIED, expires_on=TODAY), None, D.VERIFIED),  # valid through its last day
        (_doc(S.UPLOADED), SESSION_END, D.UPLOADED),
        # lapsing before it is needed is said even while it waits for review
        (_doc(S.UPLOADED, expires_on=SESSION_END - timedelta(days=1)), SESSION_END, D.EXPIRING),
        (_doc(S.UPLOADED, expires_on=SESSION_END), SESSION_END, D.UPLOADED),
        (_doc(S.VERIFIED, expires_on=SESSION_END - timedelta(days=1)), SESSION_END, D.EXPIRING),
        (_doc(S.VERIFIED, expires_on=SESSION_END), SESSION_END, D.VERIFIED),
        (_doc(S.VERIFIED, expires_on=SESSION_END - timedelta(days=1)), None, D.VERIFIED),
        (_doc(S.VERIFIED), SESSION_END, D.VERIFIED),
        # issue date + validity period counts like an expiry date (a TB test: 365 days)
        (
            _doc(S.VERIFIED, issued_on=TODAY - timedelta(days=350), valid_for_days=365),
            SESSION_END,
            D.EXPIRING,
        ),
        (
            _doc(S.VERIFIED, issued_on=TODAY - timedelta(days=366), valid_for_days=365),
            SESSION_END,
            D.EXPIRED,
        ),
        (_doc(S.VERIFIED, issued_on=TODAY, valid_for_days=365), SESSION_END, D.VERIFIED),
    ],
)
def test_document_standing(document: Document | None, on: date | None, expected: str) -> None:
    assert document_standing(document, on=on, today=TODAY) == expected


@pytest.mark.django_db
def test_status_for_reads_current_versions_in_one_query(
    applicant: Any, reference_data: None, django_assert_num_queries: Any
) -> None:
    upload_document(applicant, "cv")
    with django_assert_num_queries(1):
        checks = document_status_for(applicant, ["cv", "photo"], on=None, today=TODAY)
    assert {code: c.status for code, c in checks.items()} == {"cv": "uploaded", "photo": "missing"}
    assert checks["cv"].document is not None
    assert not checks["cv"].ok
    with django_assert_num_queries(1):
        by_id = document_status_for(applicant.pk, ["cv"], on=None, today=TODAY)
    assert by_id["cv"].status == D.UPLOADED


@pytest.mark.django_db
def test_anonymous_visitor_has_everything_missing_without_a_query(
    django_assert_num_queries: Any,
) -> None:
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        checks = document_status_for(AnonymousUser(), ["cv"], on=SESSION_END, today=TODAY)
    assert checks["cv"].status == D.MISSING
