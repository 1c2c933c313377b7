"""`/admin/login/` goes through allauth, so the second factor and rate limits apply."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_totp() -> Any:
    user = UserFactory(email="ops@example.com", role="coordinator")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    return user


def test_anonymous_admin_login_redirects_to_allauth_login() -> None:
    response = Client().get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_admin_login_form_cannot_skip_the_second_factor(staff_with_totp: Any) -> None:
    client = Client()
    client.post(
        "/admin/login/?next=/admin/",
        {"username": staff_with_totp.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )
    # The admin's own password-only form is gone: nothing signs the user in.
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_password_alone_through_allauth_stops_at_the_totp_challenge(staff_with_totp: Any) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": staff_with_totp.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert "_auth_user_id" not in client.session
