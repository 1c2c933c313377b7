from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest

from matchway.accounts import demo as accounts_demo
from matchway.documents import demo
from matchway.documents.models import Document
from matchway.documents.selectors import document_status_for_types

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, Any]:
    context: dict[str, Any] = {"password": "demo-password-for-tests", "stdout": io.StringIO()}
    accounts_demo.seed(context)
    demo.seed(context)
    return context


def test_demo_documents_in_mixed_states_and_idempotent(reference_data: None) -> None:
    context = _seed()
    applicant = context["users"]["applicant"]
    statuses = document_status_for_types(
        owner=applicant,
        types=["passport", "cv", "usmle_step1", "tb_test", "bls_acls"],
        until=None,
    )
    assert statuses == {
        "passport": "verified",
        "cv": "verified",
        "usmle_step1": "uploaded",
        "tb_test": "rejected",
        "bls_acls": "verified",
    }
    bls = Document.objects.get(owner=applicant, type="bls_acls")
    assert bls.content_type == "image/png"
    soon = document_status_for_types(
        owner=applicant, types=["bls_acls"], until=bls.expires_on + timedelta(days=1)
    )
    assert soon == {"bls_acls": "expiring"}
    assert Document.objects.get(owner=applicant, type="tb_test").reason
    count = Document.objects.count()

    _seed()
    assert Document.objects.count() == count
