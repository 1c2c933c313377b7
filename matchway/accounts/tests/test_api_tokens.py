from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from matchway.accounts.models import ApiToken
from matchway.accounts.services import api_token_create
from matchway.accounts.tests.factories import DEFAULT_PASSWORD
from matchway.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_api_token_command_prints_a_working_token(applicant, client):
    out = StringIO()
    call_command("create_api_token", applicant.email, stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("mw_")
    assert "\n" not in token
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {
        "id": applicant.pk,
        "email": "alice@example.com",
        "full_name": "Alice Adeyemi",
        "role": "applicant",
        "timezone": "America/New_York",
    }


def test_create_api_token_command_fails_for_unknown_email(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody@example.com", stdout=StringIO())


def test_token_is_stored_hashed(applicant):
    raw, token = api_token_create(user=applicant, name="CRM")
    assert raw not in token.digest
    assert token.prefix == raw[:10]
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1


@pytest.mark.parametrize("header", ["Bearer wrong", "Bearer ", "Basic abc", "Token mw_x"])
def test_wrong_token_gets_401_json(client, applicant, header):
    api_token_create(user=applicant, name="CRM")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["message"]


def test_revoked_token_stops_working(client, applicant, applicant_client):
    raw, token = api_token_create(user=applicant, name="CRM")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    applicant_client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_of_inactive_user_is_refused(client, applicant):
    raw, _ = api_token_create(user=applicant, name="CRM")
    applicant.is_active = False
    applicant.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_last_used_is_recorded(client, applicant):
    raw, token = api_token_create(user=applicant, name="CRM")
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_page_shows_new_token_once(applicant, client):
    client.login(email=applicant.email, password=DEFAULT_PASSWORD)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    response = client.post(
        reverse("accounts:api-tokens"), {"name": "Sync", "scope": "read", "expires_in": "90"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert b"Copy your new token now" in response.content
    again = client.get(reverse("accounts:api-tokens"))
    assert b"Copy your new token now" not in again.content
    assert token.prefix.encode() in again.content


def test_outsider_cannot_revoke_someone_elses_token(applicant, outsider_client):
    _raw, token = api_token_create(user=applicant, name="CRM")
    response = outsider_client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_me_update_and_validation_errors(applicant, applicant_client):
    ok = applicant_client.patch(
        "/api/v1/me", {"timezone": "Asia/Kolkata"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["timezone"] == "Asia/Kolkata"
    bad = applicant_client.patch(
        "/api/v1/me", {"timezone": "Mars/Olympus", "full_name": ""}, content_type="application/json"
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "validation_error"
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"timezone", "full_name"}
    applicant.refresh_from_db()
    assert applicant.timezone == "Asia/Kolkata"


def test_session_auth_needs_csrf_for_unsafe_methods(applicant):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(applicant)
    assert strict.get("/api/v1/me").status_code == 200
    response = strict.patch("/api/v1/me", {"full_name": "X"}, content_type="application/json")
    assert response.status_code == 401
