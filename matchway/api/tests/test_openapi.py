"""The assembled /api/v1: a valid OpenAPI 3 document and offline docs."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_openapi_3(anonymous):
    from openapi_spec_validator import validate

    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    validate(spec)
    ops = [op for path in spec["paths"].values() for op in path.values()]
    assert all(op.get("operationId") for op in ops)


def test_api_docs_page_works_offline(anonymous):
    response = anonymous.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/" in html
    assert "cdn.jsdelivr" not in html
    assert "unpkg.com" not in html
