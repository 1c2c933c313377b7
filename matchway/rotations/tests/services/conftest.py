"""Fixtures for booking service tests: a rotation, sessions, and a commit helper.

The `db` fixture wraps each test in a transaction that never commits, so `on_commit`
callbacks (our emails) would never run. `committed()` runs the callbacks registered inside
its block when the block ends, as a real commit would.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.rotations.models import BookingMode, Rotation, RotationSession
from matchway.rotations.tests.factories import RotationFactory, RotationSessionFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def rotation(db: None, preceptor: User) -> Rotation:
    return RotationFactory(preceptors=[preceptor], deposit_cents=50_000)


@pytest.fixture
def instant_session(rotation: Rotation) -> RotationSession:
    return RotationSessionFactory(rotation=rotation, capacity=2, booking_mode=BookingMode.INSTANT)


@pytest.fixture
def review_session(rotation: Rotation) -> RotationSession:
    return RotationSessionFactory(rotation=rotation, capacity=2, booking_mode=BookingMode.REVIEW)


@pytest.fixture
def make_applicant(db: None) -> Callable[..., User]:
    def make(**kwargs: Any) -> User:
        return UserFactory(role="applicant", **kwargs)

    return make
