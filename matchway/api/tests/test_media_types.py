"""Request bodies the API cannot take (docs/dev/errors.md): 415 for a media type the
operation does not accept, 400 for a body of an accepted type that cannot be parsed. Both in
the `{"code", "message"}` shape, for Bearer and session (CSRF) callers alike; never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from matchway.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

CSRF = "a" * 32
MULTIPART = "multipart/form-data; boundary=xx"
MULTIPART_BODY = b'--xx\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\n--xx--\r\n'

#: Operations whose body is JSON (method, path).
JSON_OPS = [
    ("patch", "/api/v1/me"),
    ("post", "/api/v1/phi-check"),
    ("post", "/api/v1/statements/analyze"),
    ("post", "/api/v1/me/letter-requests"),
    ("post", "/api/v1/sessions/1/applications"),
]
UPLOAD = ("post", "/api/v1/me/documents")


def _bearer(user: Any) -> Client:
    token, _ = api_token_create(user=user, name="t")
    return Client(headers={"Authorization": f"Bearer {token}"})


def _session(user: Any) -> Client:
    """A signed-in browser with a CSRF cookie and header (the CSRF check runs for real)."""
    client = Client(enforce_csrf_checks=True, headers={"X-CSRFToken": CSRF})
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    return client


@pytest.fixture(params=["bearer", "session"])
def api_client(request: pytest.FixtureRequest, applicant: Any) -> Client:
    return _bearer(applicant) if request.param == "bearer" else _session(applicant)


def _send(client: Client, op: tuple[str, str], content_type: str, body: bytes) -> Any:
    method, path = op
    return getattr(client, method)(path, data=body, content_type=content_type)


def _assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"]


@pytest.mark.parametrize("op", JSON_OPS)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b'{"text": "hello"}'),
        ("application/xml", b"<text>hello</text>"),
        (MULTIPART, MULTIPART_BODY),
        ("application/x-www-form-urlencoded", b"text=hello"),
    ],
)
def test_json_operation_refuses_other_media_types_with_415(api_client, op, content_type, body):
    _assert_error(_send(api_client, op, content_type, body), 415, "unsupported_media_type")


@pytest.mark.parametrize("op", JSON_OPS)
def test_multipart_without_boundary_on_a_json_operation_is_415(api_client, op):
    response = _send(api_client, op, "multipart/form-data", b"x")
    _assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/json", b'{"type": "passport"}'), ("text/plain", b"hello")],
)
def test_upload_operation_refuses_non_multipart_bodies_with_415(api_client, content_type, body):
    _assert_error(_send(api_client, UPLOAD, content_type, body), 415, "unsupported_media_type")


def test_upload_operation_multipart_without_boundary_is_400(api_client):
    _assert_error(_send(api_client, UPLOAD, "multipart/form-data", b"x"), 400, "bad_request")


@pytest.mark.parametrize("op", JSON_OPS)
@pytest.mark.parametrize("body", [b"{bad", b'{"text": ', b"\xff\xfe", b"[1, 2"])
def test_unparseable_json_is_400(api_client, op, body):
    _assert_error(_send(api_client, op, "application/json", body), 400, "bad_request")


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"]
)
def test_json_media_type_variants_are_accepted(api_client, content_type):
    response = _send(api_client, ("post", "/api/v1/phi-check"), content_type, b'{"text": "hi"}')
    assert response.status_code == 200, response.content[:300]


def test_an_empty_body_is_not_judged_by_its_media_type(api_client):
    """No body, nothing to refuse: the operation's own validation answers (422 here)."""
    response = _send(api_client, ("post", "/api/v1/phi-check"), "text/plain", b"")
    _assert_error(response, 422, "validation_error")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_an_unauthenticated_caller_gets_401_whatever_the_media_type(headers):
    response = Client(headers=headers).post(
        "/api/v1/phi-check", data=b"<a/>", content_type="application/xml"
    )
    _assert_error(response, 401, "not_authenticated")


def test_openapi_documents_400_and_415_on_operations_with_a_body(anonymous):
    spec = anonymous.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert {"400", "415"} <= set(operation["responses"]), (method, path)
