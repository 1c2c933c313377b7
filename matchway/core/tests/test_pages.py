import json

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_ok(anonymous):
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(anonymous, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(connection, "cursor", broken)
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "error"}


def test_home_page_is_public_and_accessible(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'href="#main"' in html  # skip link
    assert '<main id="main"' in html
    assert "<script>" not in html  # CSP: no inline scripts
    assert "vendor/htmx/htmx.min.js" in html
    assert "https://" not in html.split("<body>")[0]  # no CDN assets in <head>


def test_security_headers(anonymous):
    response = anonymous.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_custom_404_page(anonymous):
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_500_page_renders_without_a_database(rf):
    from matchway.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_dashboard_needs_login(anonymous):
    response = anonymous.get(reverse("dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["applicant", "preceptor", "coordinator"])
def test_dashboard_greets_each_role(persona, request):
    client: Client = request.getfixturevalue(f"{persona}_client")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert b"Welcome," in response.content


def test_coordinator_navigation_shows_staff_links(coordinator_client, applicant_client):
    assert b"Audit log" in coordinator_client.get("/").content
    assert b"Audit log" not in applicant_client.get("/").content


def test_user_timezone_is_used_for_display(applicant, applicant_client):
    applicant.timezone = "Asia/Kolkata"
    applicant.save()
    response = applicant_client.get("/")
    assert b"Asia/Kolkata" in response.content


def test_domain_error_in_a_page_becomes_a_friendly_page(rf, applicant):
    from matchway.core.exceptions import BusyError, CapacityError
    from matchway.core.middleware import ApplicationErrorMiddleware

    middleware = ApplicationErrorMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    request = rf.get("/rotations/x/apply/")
    request.user = applicant
    response = middleware.process_exception(request, CapacityError())
    assert response is not None
    assert response.status_code == 409
    assert b"This session is full." in response.content
    busy = middleware.process_exception(request, BusyError())
    assert busy.status_code == 503
    assert busy["Retry-After"] == "2"
    assert middleware.process_exception(request, ValueError("boom")) is None
    api_request = rf.get("/api/v1/sessions/1")
    assert middleware.process_exception(api_request, CapacityError()) is None


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
