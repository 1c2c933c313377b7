import json

import pytest
from django.db import connection

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
