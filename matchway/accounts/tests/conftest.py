"""Fixtures for the accounts tests (the privacy tests fill every app's area)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture
def after_commit_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run `on_commit` work at once (emails, renders, tasks), as right after a real commit."""
    from django.db import transaction

    def run_now(func: Callable[[], object], using: str | None = None, robust: bool = False) -> None:
        func()

    monkeypatch.setattr(transaction, "on_commit", run_now)
    cache.clear()


@pytest.fixture
def signing_key(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A certificate signing key per test session, never the developer's var/ key."""
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    settings.CERTIFICATE_DEV_KEY_ALLOWED = True
    settings.CERTIFICATE_DEV_KEY_PATH = tmp_path_factory.getbasetemp() / "signing-dev.pem"
