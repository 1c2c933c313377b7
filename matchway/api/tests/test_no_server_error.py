"""No 500 for any input (DESIGN.md invariant 5): malformed bodies and huge integers."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
CSRF = "a" * 32


def _csrf_client(user) -> Client:
    """A signed-in browser with a CSRF cookie and header: the CSRF check reads the body."""
    client = Client(enforce_csrf_checks=True, headers={"X-CSRFToken": CSRF})
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    return client


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        # JSON operations refuse any multipart body before reading it (test_media_types.py)
        ("post", "/api/v1/sessions/1/applications", 415, "unsupported_media_type"),
        ("patch", "/api/v1/me", 415, "unsupported_media_type"),
        ("post", "/api/v1/phi-check", 415, "unsupported_media_type"),
        # the upload takes multipart, so a multipart body it cannot parse is 400
        ("post", "/api/v1/me/documents", 400, "bad_request"),
        # no body parameters: the session's CSRF check is what reads the form body
        ("post", "/api/v1/me/letter-requests/1/nudge", 400, "bad_request"),
    ],
)
def test_multipart_without_boundary_is_4xx_for_a_session_user(
    applicant, method, path, status, code
):
    client = _csrf_client(applicant)
    response = getattr(client, method)(path, data=b"x", content_type="multipart/form-data")
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_multipart_without_boundary_is_400_with_a_bearer_token(applicant):
    from matchway.accounts.services import api_token_create

    token, _ = api_token_create(user=applicant, name="t")
    response = Client().post(
        "/api/v1/me/documents",
        data=b"x",
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize(
    "query",
    [
        f"offset={HUGE}",
        f"limit={HUGE}",
        f"max_price={HUGE}",
        f"max_price=-{HUGE}",
        "offset=9223372036854775807",
        "max_price=9223372036854775807",
    ],
)
def test_huge_integers_in_the_catalog_query_are_422(anonymous, query):
    response = anonymous.get(f"/api/v1/rotations?{query}")
    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/sessions/{HUGE}",
        "/api/v1/sessions/9223372036854775808",
        f"/api/v1/sessions/-{HUGE}",
    ],
)
def test_huge_ids_in_paths_are_404_or_422(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code in (404, 422), response.content[:300]
    assert response.json()["code"] in ("not_found", "validation_error")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"/api/v1/sessions/{HUGE}/applications"),
        ("post", f"/api/v1/applications/{HUGE}/withdraw"),
        ("get", f"/api/v1/me/letter-requests/{HUGE}"),
        ("post", f"/api/v1/me/letter-requests/{HUGE}/withdraw"),
        ("post", f"/api/v1/me/letter-requests/{HUGE}/nudge"),
    ],
)
def test_huge_ids_in_write_paths_are_never_500(applicant_client, method, path):
    response = getattr(applicant_client, method)(path, content_type="application/json")
    assert response.status_code in (404, 422), response.content[:300]


def test_huge_ids_in_a_letter_request_body_are_422(applicant_client):
    response = applicant_client.post(
        "/api/v1/me/letter-requests",
        data={
            "application_id": int(HUGE),
            "writer_id": int(HUGE),
            "attachment_ids": [int(HUGE)],
            "due_date": "2030-01-01",
            "waived": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("query", [f"page={HUGE}", f"max_price={HUGE}", "page=-1", "page=abc"])
def test_catalog_page_survives_huge_numbers(anonymous, query):
    response = anonymous.get(f"/rotations/?{query}")
    assert response.status_code in (200, 404), response.status_code
