"""Shared fixtures: personas (healthchecks' alice/bob/charlie idea) and helpers.

- `applicant`: an applicant with a profile.
- `preceptor`, `coordinator`: staff who work with that applicant.
- `outsider`: another applicant who must never see the first one's things.
- `anonymous`: a client that is not signed in.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, TestCase

from matchway.accounts.tests.factories import UserFactory
from matchway.reference.loader import load_all

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")


@pytest.fixture
def reference_data(db: None) -> None:
    load_all()


@pytest.fixture
def applicant(db: None) -> Any:
    return UserFactory(role="applicant", email="alice@example.com", full_name="Alice Adeyemi")


@pytest.fixture
def outsider(db: None) -> Any:
    return UserFactory(role="applicant", email="charlie@example.com", full_name="Charlie Okoro")


@pytest.fixture
def preceptor(db: None) -> Any:
    return UserFactory(role="preceptor", email="bob@example.com", full_name="Dr. Bob Brown")


@pytest.fixture
def coordinator(db: None) -> Any:
    return UserFactory(role="coordinator", email="carol@example.com", full_name="Carol Chen")


class CommittingClient(Client):
    """A test client whose requests behave as committed transactions.

    In production each request commits, so `transaction.on_commit` work (emails, task
    enqueues) runs right after it. Inside a test transaction nothing commits, so we run the
    captured callbacks at the end of each request instead.
    """

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def _client_for(user: Any) -> Client:
    client = CommittingClient()
    client.force_login(user)
    return client


@pytest.fixture
def client() -> Client:
    return CommittingClient()


@pytest.fixture
def anonymous() -> Client:
    return CommittingClient()


@pytest.fixture
def applicant_client(applicant: Any) -> Client:
    return _client_for(applicant)


@pytest.fixture
def outsider_client(outsider: Any) -> Client:
    return _client_for(outsider)


@pytest.fixture
def preceptor_client(preceptor: Any) -> Client:
    return _client_for(preceptor)


@pytest.fixture
def coordinator_client(coordinator: Any) -> Client:
    return _client_for(coordinator)


@pytest.fixture
def persona_clients(
    applicant_client: Client,
    outsider_client: Client,
    preceptor_client: Client,
    coordinator_client: Client,
    anonymous: Client,
) -> dict[str, Client]:
    return {
        "applicant": applicant_client,
        "outsider": outsider_client,
        "preceptor": preceptor_client,
        "coordinator": coordinator_client,
        "anonymous": anonymous,
    }
