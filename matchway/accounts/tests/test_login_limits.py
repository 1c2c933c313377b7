"""Failed sign-ins are limited by IP and by account; a stranger cannot lock an account out
beyond the window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def test_correct_password_from_a_new_ip_works_after_the_window(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 10, 15, 0, tzinfo=dt.UTC), tick=False)
    cache.clear()
    user = UserFactory(email="target@example.com")
    stranger = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        stranger.post("/accounts/login/", {"login": user.email, "password": "wrong-guess-123"})
    assert (
        TOO_MANY
        in stranger.post(
            "/accounts/login/", {"login": user.email, "password": "wrong-guess-123"}
        ).content.decode()
    )

    time_machine.move_to(dt.datetime(2027, 3, 10, 15, 6, tzinfo=dt.UTC), tick=False)
    owner = Client(REMOTE_ADDR="198.51.100.7")
    response = owner.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in owner.session
