"""POST /api/v1/statements/analyze: shape, errors, auth, and nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from matchway.accounts.services import api_token_create
from matchway.core.models import AuditEvent
from matchway.statements.models import Statement, StatementVersion
from matchway.statements.services import MAX_BODY_CHARS

pytestmark = pytest.mark.django_db

URL = "/api/v1/statements/analyze"
TEXT = (
    "Since I was a child I have had a passion for medicine. During my observership in "
    "internal medicine I presented new admissions to the attending on rounds."
)


def post(client: Client, body: Any, **headers: Any) -> Any:
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def test_anonymous_gets_401(anonymous: Client) -> None:
    response = post(anonymous, {"text": TEXT})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_analysis_shape(applicant_client: Client, reference_data: None) -> None:
    response = post(applicant_client, {"text": TEXT, "specialty": "140", "graduation_year": 2015})
    assert response.status_code == 200
    data = response.json()
    assert data["characters"] == len(TEXT)
    assert data["words"] == 27
    assert isinstance(data["pages"], float)
    assert data["max_characters"] == 28000
    assert {"flesch_reading_ease", "flesch_kincaid_grade", "explanation"} <= set(
        data["readability"]
    )
    assert data["findings"]
    for finding in data["findings"]:
        assert set(finding) == {"kind", "severity", "start", "end", "message", "suggestion"}
        assert finding["severity"] in {"info", "warning", "error"}
        assert 0 <= finding["start"] <= finding["end"] <= len(TEXT)
    cliches = [f for f in data["findings"] if f["kind"] == "cliche"]
    assert any(TEXT[f["start"] : f["end"]].lower() == "passion for medicine" for f in cliches)
    assert any(f["kind"] == "graduation_gap" for f in data["findings"])


def test_pages_is_a_character_based_estimate(
    applicant_client: Client, reference_data: None
) -> None:
    # Two texts with the same number of words: pages follow characters, not words.
    short = post(applicant_client, {"text": " ".join(["cat"] * 700)}).json()
    long = post(applicant_client, {"text": " ".join(["extraordinarily"] * 700)}).json()
    assert short["words"] == long["words"] == 700
    assert short["pages"] == round(short["characters"] / 3_500, 2) == 0.8
    assert long["pages"] == round(long["characters"] / 3_500, 2) == 3.2


def test_pages_field_documents_what_it_means(anonymous: Client) -> None:
    schema = anonymous.get("/api/v1/openapi.json").json()
    pages = schema["components"]["schemas"]["StatementAnalyzeOut"]["properties"]["pages"]
    assert pages["type"] == "number"
    assert "characters / 3,500" in pages["description"]
    assert "ERAS has no page rule" in pages["description"]


def test_any_signed_in_role_and_bearer_tokens_work(
    preceptor_client: Client, anonymous: Client, applicant: Any
) -> None:
    assert post(preceptor_client, {"text": TEXT}).status_code == 200
    raw, _token = api_token_create(user=applicant, name="cli")
    response = post(anonymous, {"text": TEXT}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * (MAX_BODY_CHARS + 1)}, "text"),
        ({"text": TEXT, "graduation_year": 1800}, "graduation_year"),
        ({"text": TEXT, "specialty": "nope"}, "specialty"),
    ],
    ids=["missing", "blank", "oversized", "bad-year", "unknown-specialty"],
)
def test_invalid_input_is_422_with_the_error_shape(
    applicant_client: Client, reference_data: None, body: dict[str, Any], field: str
) -> None:
    response = post(applicant_client, body)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "validation_error"
    assert data["message"]
    assert field in {e["field"] for e in data["errors"]}


def test_malformed_json_is_a_client_error(applicant_client: Client) -> None:
    response = applicant_client.post(URL, data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_nothing_is_stored(applicant_client: Client) -> None:
    before = (Statement.objects.count(), StatementVersion.objects.count())
    audits = AuditEvent.objects.count()
    assert post(applicant_client, {"text": TEXT}).status_code == 200
    assert (Statement.objects.count(), StatementVersion.objects.count()) == before
    assert AuditEvent.objects.count() == audits


def test_operation_is_documented(applicant_client: Client) -> None:
    schema = applicant_client.get("/api/v1/openapi.json").json()
    op = schema["paths"]["/api/v1/statements/analyze"]["post"]
    assert op["operationId"] == "statements_statement_analyze"
