"""API token hardening (issue #12): re-authentication, scope, expiry, revocation on a
password change or reset, command options and audit events (docs/dev/api-tokens.md)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import ApiToken, ApiTokenScope
from matchway.accounts.services import api_token_create
from matchway.accounts.tests.factories import DEFAULT_PASSWORD
from matchway.core import clock
from matchway.core.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 10, 15, 0, tzinfo=dt.UTC)


def _signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)
    return client


def _reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def _create(client: Client, **data: Any) -> Any:
    payload = {"name": "Sync", "scope": "read", "expires_in": "90", **data}
    return client.post(reverse("accounts:api-tokens"), payload)


# --- re-authentication -------------------------------------------------------------------


def test_creating_a_token_needs_recent_reauthentication(applicant: Any) -> None:
    client = _signed_in(applicant)
    assert client.get(reverse("accounts:api-tokens")).status_code == 200
    response = _create(client)
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not ApiToken.objects.exists()

    _reauthenticate(client)
    response = _create(client)
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=applicant).count() == 1
    assert b"Copy your new token now" in response.content


def test_reauthentication_expires_after_the_timeout(applicant: Any, time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    client = _signed_in(applicant)
    _reauthenticate(client)
    time_machine.move_to(START + dt.timedelta(minutes=10), tick=False)
    response = _create(client)
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_with_totp_the_second_factor_is_asked_for(applicant: Any) -> None:
    secret = generate_totp_secret()
    TOTP.activate(applicant, secret)
    client = _signed_in(applicant)
    _reauthenticate(client)  # the password alone is not enough once TOTP is on
    response = _create(client)
    assert response.status_code == 302
    assert reverse("mfa_reauthenticate") in response["Location"]
    assert not ApiToken.objects.exists()

    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(response["Location"], {"code": code})
    # allauth replays the suspended POST once the code is accepted
    assert ApiToken.objects.filter(user=applicant).count() == 1
    assert response.status_code == 200


# --- scope -------------------------------------------------------------------------------


def test_existing_and_default_service_tokens_can_write(applicant: Any) -> None:
    _raw, token = api_token_create(user=applicant, name="legacy")
    assert token.scope == ApiTokenScope.WRITE


def test_read_only_token_reads_but_cannot_write(client: Client, applicant: Any) -> None:
    raw, _token = api_token_create(user=applicant, name="ro", scope=ApiTokenScope.READ)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    response = client.patch(
        "/api/v1/me", {"full_name": "Mallory"}, content_type="application/json", **auth
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "read-only" in body["message"]
    applicant.refresh_from_db()
    assert applicant.full_name != "Mallory"


def test_write_token_and_session_can_write(
    client: Client, applicant: Any, applicant_client: Client
) -> None:
    raw, _token = api_token_create(user=applicant, name="rw", scope=ApiTokenScope.WRITE)
    response = client.patch(
        "/api/v1/me",
        {"full_name": "Alice A."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    session = applicant_client.patch(
        "/api/v1/me", {"full_name": "Alice B."}, content_type="application/json"
    )
    assert session.status_code == 200


# --- expiry ------------------------------------------------------------------------------


def test_expired_token_is_refused_and_shown_expired(
    client: Client, applicant: Any, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    raw, _token = api_token_create(
        user=applicant, name="short", expires_at=clock.now() + dt.timedelta(days=30)
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    time_machine.move_to(START + dt.timedelta(days=30, seconds=1), tick=False)
    response = client.get("/api/v1/me", **auth)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    owner = Client()
    owner.force_login(applicant)
    page = owner.get(reverse("accounts:api-tokens"))
    assert b"Expired" in page.content


def test_form_offers_expiry_choices_with_90_days_default(applicant: Any, time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    client = _signed_in(applicant)
    page = client.get(reverse("accounts:api-tokens")).content.decode()
    for days in ("30", "90", "365", "never"):
        assert f'value="{days}"' in page
    checked = re.findall(r'name="expires_in" value="(\w+)"[^>]*checked', page)
    assert checked == ["90"]
    assert re.findall(r'name="scope" value="(\w+)"[^>]*checked', page) == ["read"]
    _reauthenticate(client)
    _create(client, expires_in="never", scope="write", name="forever")
    _create(client, name="default")
    forever = ApiToken.objects.get(name="forever")
    assert forever.expires_at is None
    assert forever.scope == ApiTokenScope.WRITE
    default = ApiToken.objects.get(name="default")
    assert default.expires_at == START + dt.timedelta(days=90)
    assert default.scope == ApiTokenScope.READ


# --- password change and reset -----------------------------------------------------------


def test_password_change_offers_unticked_revoke_all(applicant: Any) -> None:
    client = _signed_in(applicant)
    page = client.get(reverse("account_change_password")).content.decode()
    assert 'name="revoke_api_tokens"' in page
    assert "checked" not in page.split('name="revoke_api_tokens"')[1].split(">")[0]


def _change_password(client: Client, **extra: Any) -> Any:
    return client.post(
        reverse("account_change_password"),
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
            **extra,
        },
    )


def test_password_change_keeps_tokens_unless_asked(applicant: Any) -> None:
    _raw, token = api_token_create(user=applicant, name="keep")
    client = _signed_in(applicant)
    assert _change_password(client).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_password_change_can_revoke_all_tokens(applicant: Any) -> None:
    _r1, one = api_token_create(user=applicant, name="one")
    _r2, two = api_token_create(user=applicant, name="two")
    client = _signed_in(applicant)
    assert _change_password(client, revoke_api_tokens="on").status_code == 302
    assert ApiToken.objects.filter(user=applicant, revoked_at__isnull=True).count() == 0
    events = AuditEvent.objects.filter(action="api_token.revoked")
    assert {e.target_id for e in events} == {str(one.pk), str(two.pk)}
    assert all(e.data.get("reason") == "password_changed" for e in events)


def test_password_reset_revokes_all_tokens(applicant: Any) -> None:
    raw, _token = api_token_create(user=applicant, name="maybe-the-attacker's")
    client = Client()
    client.post(reverse("account_reset_password"), {"email": applicant.email})
    body = mail.outbox[-1].body
    link = next(w for w in body.split() if "/accounts/password/reset/key/" in w)
    response = client.get(link)
    response = client.post(
        response["Location"],
        {"password1": "a-new-long-passphrase-42", "password2": "a-new-long-passphrase-42"},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=applicant, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.data["reason"] == "password_reset"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


# --- management command ------------------------------------------------------------------


def test_command_takes_scope_and_expiry(applicant: Any, time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    call_command(
        "create_api_token",
        applicant.email,
        "--scope",
        "write",
        "--expires-days",
        "7",
        stdout=StringIO(),
    )
    token = ApiToken.objects.get()
    assert token.scope == ApiTokenScope.WRITE
    assert token.expires_at == START + dt.timedelta(days=7)


def test_command_defaults_to_read_only_for_90_days_and_0_means_never(
    applicant: Any, time_machine: Any
) -> None:
    time_machine.move_to(START, tick=False)
    call_command("create_api_token", applicant.email, "--name", "a", stdout=StringIO())
    call_command(
        "create_api_token", applicant.email, "--name", "b", "--expires-days", "0", stdout=StringIO()
    )
    a = ApiToken.objects.get(name="a")
    assert a.scope == ApiTokenScope.READ
    assert a.expires_at == START + dt.timedelta(days=90)
    assert ApiToken.objects.get(name="b").expires_at is None


# --- audit -------------------------------------------------------------------------------


def test_created_event_records_scope_and_expiry(applicant: Any, time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    api_token_create(
        user=applicant,
        name="x",
        scope=ApiTokenScope.READ,
        expires_at=START + dt.timedelta(days=30),
    )
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.data["scope"] == "read"
    assert event.data["expires_at"] == (START + dt.timedelta(days=30)).isoformat()


def test_first_use_from_a_new_ip_is_audited_once(client: Client, applicant: Any) -> None:
    raw, token = api_token_create(user=applicant, name="ip")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def use(ip: str) -> None:
        assert client.get("/api/v1/me", REMOTE_ADDR=ip, **auth).status_code == 200

    before = AuditEvent.objects.count()
    use("198.51.100.1")
    use("198.51.100.1")
    use("198.51.100.1")
    use("203.0.113.9")
    use("198.51.100.1")
    use("203.0.113.9")
    events = AuditEvent.objects.filter(action="api_token.first_use_from_new_ip").order_by("pk")
    assert [e.ip for e in events] == ["198.51.100.1", "203.0.113.9"]
    assert all(e.target_id == str(token.pk) for e in events)
    # nothing else is written per request
    assert AuditEvent.objects.count() - before == 2
    token.refresh_from_db()
    assert token.last_used_ip == "203.0.113.9"
