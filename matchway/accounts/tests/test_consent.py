"""Consent to the Terms of use and Privacy policy: at sign-up, and once per new version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from matchway.accounts.models import Consent, User
from matchway.core.audit import AuditEvent
from matchway.organization.services import policy_publish

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
SIGNUP = {
    "full_name": "Nadia Haddad",
    "email": "nadia@example.com",
    "password1": "a-long-secure-pass-42",
    "password2": "a-long-secure-pass-42",
}


@pytest.fixture
def policies(coordinator: Any) -> None:
    with time_machine.travel(T0 - dt.timedelta(days=30), tick=False):
        policy_publish(actor=coordinator, kind="terms", body="Terms one.")
        policy_publish(actor=coordinator, kind="terms", body="Terms two.")
        policy_publish(actor=coordinator, kind="privacy", body="Privacy one.")


@time_machine.travel(T0, tick=False)
def test_signup_box_names_the_versions_and_is_not_ticked(anonymous: Client, policies: None) -> None:
    html = anonymous.get("/accounts/signup/").content.decode()
    assert "I accept the Terms of use (version 2) and the Privacy policy (version 1)." in html
    assert 'name="accept_policies"' in html
    box = html[
        html.index('name="accept_policies"') - 200 : html.index('name="accept_policies"') + 200
    ]
    assert "checked" not in box
    assert 'href="/terms/"' in html and 'href="/privacy/"' in html


@time_machine.travel(T0, tick=False)
def test_signup_without_the_box_is_refused(anonymous: Client, policies: None) -> None:
    response = anonymous.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    assert "Tick the box to accept" in response.content.decode()
    assert "Nadia Haddad" in response.content.decode()  # input kept
    assert not User.objects.filter(email="nadia@example.com").exists()


@time_machine.travel(T0, tick=False)
def test_signup_stores_both_consents(anonymous: Client, policies: None) -> None:
    response = anonymous.post("/accounts/signup/", {**SIGNUP, "accept_policies": "on"})
    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.com")
    rows = {(c.kind, c.version, c.accepted_at) for c in Consent.objects.filter(user=user)}
    assert rows == {("terms", 2, T0), ("privacy", 1, T0)}
    assert Consent.objects.filter(user=user, ip="127.0.0.1").count() == 2
    assert AuditEvent.objects.filter(action="consent.accepted", actor=user).exists()


def test_without_published_pages_no_consent_is_asked(anonymous: Client) -> None:
    assert "accept_policies" not in anonymous.get("/accounts/signup/").content.decode()
    response = anonymous.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert not Consent.objects.exists()


@time_machine.travel(T0, tick=False)
def test_a_new_version_is_asked_once(
    applicant: Any, applicant_client: Client, coordinator: Any, policies: None
) -> None:
    Consent.objects.create(user=applicant, kind="terms", version=2, accepted_at=T0)
    Consent.objects.create(user=applicant, kind="privacy", version=1, accepted_at=T0)
    assert applicant_client.get("/dashboard/").status_code == 200

    later = T0 + dt.timedelta(days=7)
    policy_publish(actor=coordinator, kind="privacy", body="Privacy two.", effective_at=later)
    assert applicant_client.get("/dashboard/").status_code == 200  # not in effect yet

    with time_machine.travel(later + dt.timedelta(minutes=1), tick=False):
        response = applicant_client.get("/dashboard/?tab=1")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/consent/?next=%2Fdashboard%2F%3Ftab%3D1"
        # Never blocked: the API, the policy pages, htmx requests.
        assert applicant_client.get("/privacy/").status_code == 200
        assert applicant_client.get("/api/v1/me").status_code == 200
        assert applicant_client.get("/dashboard/", HTTP_HX_REQUEST="true").status_code == 200

        page = applicant_client.get("/accounts/consent/?next=/dashboard/").content.decode()
        assert "Privacy policy, version 2" in page
        assert "I accept the Privacy policy (version 2)." in page
        refused = applicant_client.post("/accounts/consent/", {"next": "/dashboard/"})
        assert refused.status_code == 200
        assert "Tick the box" in refused.content.decode()

        accepted = applicant_client.post(
            "/accounts/consent/", {"next": "/dashboard/?tab=1", "accept_policies": "on"}
        )
        assert accepted.status_code == 302 and accepted["Location"] == "/dashboard/?tab=1"
        assert Consent.objects.filter(user=applicant, kind="privacy", version=2).exists()
        assert applicant_client.get("/dashboard/").status_code == 200
        # A fresh session (another device) is not asked again either.
        other = Client()
        other.force_login(applicant)
        assert other.get("/dashboard/").status_code == 200


def test_consent_page_never_redirects_off_site(applicant_client: Client) -> None:
    response = applicant_client.get("/accounts/consent/?next=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
