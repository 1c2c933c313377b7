"""POST /api/v1/phi-check: signed-in only, nothing stored or logged."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from matchway.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TEXT = "Mr. John Smith, MRN 12345678, seen on rounds; BP 120/80, day 3 of antibiotics."


def _check(client: Client, body: Any) -> Any:
    return client.post("/api/v1/phi-check", json.dumps(body), content_type="application/json")


def test_findings_have_kind_offsets_text_and_suggestion(applicant_client: Client) -> None:
    response = _check(applicant_client, {"text": TEXT})
    assert response.status_code == 200
    findings = response.json()["findings"]
    kinds = {f["kind"] for f in findings}
    assert {"name", "mrn"} <= kinds
    for finding in findings:
        assert TEXT[finding["start"] : finding["end"]] == finding["text"]
        assert finding["suggestion"]
    assert not any("120/80" in f["text"] for f in findings)


def test_clean_text_has_no_findings(preceptor_client: Client) -> None:
    assert _check(preceptor_client, {"text": "Day 3 of antibiotics."}).json() == {"findings": []}


def test_anonymous_gets_401(anonymous: Client) -> None:
    response = _check(anonymous, {"text": TEXT})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_bearer_token_works(applicant: Any, client: Client) -> None:
    from matchway.accounts.services import api_token_create

    token, _record = api_token_create(user=applicant, name="tests")
    response = client.post(
        "/api/v1/phi-check",
        json.dumps({"text": TEXT}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200


@pytest.mark.parametrize("body", [{}, {"text": 5}, {"text": "x" * 100_001}])
def test_bad_bodies_are_422(applicant_client: Client, body: Any) -> None:
    response = _check(applicant_client, body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_nothing_is_stored_or_logged(
    applicant_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    before = AuditEvent.objects.count()
    with caplog.at_level(logging.DEBUG):
        _check(applicant_client, {"text": TEXT})
    assert AuditEvent.objects.count() == before
    assert "John Smith" not in caplog.text
