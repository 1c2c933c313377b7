"""Fixtures for the experience tests: the personas' rotation, running and completed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchway.experience.tests.factories import completed_application, running_application
from matchway.reference.loader import load_competencies
from matchway.rotations.models import Application


@pytest.fixture
def running(applicant: Any, preceptor: Any) -> Application:
    """The applicant's rotation in progress, taught by the preceptor persona."""
    load_competencies()
    return running_application(applicant=applicant, preceptors=[preceptor])


@pytest.fixture
def completed(applicant: Any, preceptor: Any) -> Application:
    """The applicant's rotation that ended three days ago."""
    load_competencies()
    return completed_application(applicant=applicant, preceptors=[preceptor])


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """`with committed(): service(...)` runs the on_commit work (emails, tasks) as a real
    commit would (see docs/dev/CONVENTIONS-FOR-HELPERS.md)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _signing_key(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A key per test session, never the developer's var/ key."""
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    settings.CERTIFICATE_DEV_KEY_ALLOWED = True
    settings.CERTIFICATE_DEV_KEY_PATH = tmp_path_factory.getbasetemp() / "signing-dev.pem"
