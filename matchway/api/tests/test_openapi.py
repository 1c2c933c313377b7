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


def test_every_operation_declares_the_error_statuses_it_can_answer(anonymous):
    """The machinery's statuses (matchway/api/openapi.py) are declared on every operation,
    with the error shape; schemathesis's status_code_conformance relies on this."""
    spec = anonymous.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            expected = {"429", "503"}
            if operation.get("security"):
                expected |= {"401", "403"}
            if "requestBody" in operation:
                expected |= {"400", "415", "422"}
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                expected |= {"404", "422"}
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema["$ref"].rsplit("/", 1)[1] in ("ErrorOut", "ValidationErrorOut")


def _csp(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_api_docs_page_has_its_own_strict_csp(anonymous):
    response = anonymous.get("/api/v1/docs")
    assert response.status_code == 200
    csp = _csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no hosts
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]  # the spec is fetched from this site only
    assert csp["frame-ancestors"] == ["'none'"]
    for sources in csp.values():
        for source in sources:
            assert source.startswith("'") or source in ("data:",), source
    # the page's script blocks are only external files and the JSON settings block
    html = response.content.decode()
    assert html.count("<script") == html.count('<script src="/static/') + html.count(
        '<script type="application/json"'
    )
    # Swagger UI's online validator badge would load an image from validator.swagger.io
    assert '"validatorUrl": null' in html
