from __future__ import annotations

from typing import Any

import pytest

from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory


@pytest.fixture
def session(db: None, preceptor: Any) -> Any:
    session = RotationSessionFactory()
    session.rotation.preceptors.set([preceptor])
    return session


@pytest.fixture
def application(applicant: Any, session: Any) -> Any:
    return ApplicationFactory(applicant=applicant, session=session)


@pytest.fixture
def confirmed(applicant: Any, session: Any) -> Any:
    return ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.CONFIRMED
    )
