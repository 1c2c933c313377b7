"""Security events land in the audit log, without secrets (docs/dev/audit.md)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.signals import email_changed, password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.test import Client, RequestFactory

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_sign_in_and_sign_out_are_recorded() -> None:
    user = UserFactory(email="audited@example.com")
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    client.post("/accounts/logout/")
    assert "account.signed_in" in _actions()
    assert "account.signed_out" in _actions()


def test_failed_sign_in_is_recorded_without_the_password() -> None:
    user = UserFactory(email="audited@example.com")
    Client().post("/accounts/login/", {"login": user.email, "password": "wrong-secret-999"})
    event = AuditEvent.objects.get(action="account.sign_in_failed")
    assert "wrong-secret-999" not in str(event.data)


class _Auth:
    type = "totp"


@pytest.mark.parametrize(
    ("signal", "extra", "action"),
    [
        (password_changed, {}, "account.password_changed"),
        (password_reset, {}, "account.password_reset"),
        (
            email_changed,
            {"from_email_address": None, "to_email_address": None},
            "account.email_changed",
        ),
        (authenticator_added, {"authenticator": _Auth()}, "account.second_factor_added"),
        (authenticator_removed, {"authenticator": _Auth()}, "account.second_factor_removed"),
    ],
)
def test_allauth_security_signals_are_recorded(
    signal: Any, extra: dict[str, Any], action: str
) -> None:
    user = UserFactory(email="audited@example.com")
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
    signal.send(sender=type(user), request=request, user=user, **extra)
    event = AuditEvent.objects.get(action=action)
    assert event.actor == user
    assert event.ip == "198.51.100.7"
