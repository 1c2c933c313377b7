"""Preceptor pages: my sessions and who is coming, never other preceptors' sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.documents.models import DocumentStatus
from matchway.documents.tests.factories import DocumentFactory
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def teaching(preceptor: Any, reference_data: None) -> dict[str, Any]:
    rotation = RotationFactory(
        title="Nephrology Clerkship",
        preceptors=[preceptor],
        required_document_types=[DocumentTypeFactory()],
    )
    session = RotationSessionFactory(rotation=rotation, capacity=4)
    coming = ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)
    DocumentFactory(
        owner=coming.applicant,
        type=rotation.required_document_types.get(),
        status=DocumentStatus.VERIFIED,
    )
    pending = ApplicationFactory(session=session, status=ApplicationStatus.SUBMITTED)
    other = RotationSessionFactory(rotation=RotationFactory(title="Someone Else's Rotation"))
    return {"session": session, "coming": coming, "pending": pending, "other": other}


def test_preceptor_sees_who_is_coming(preceptor_client: Client, teaching: dict[str, Any]) -> None:
    html = preceptor_client.get(reverse("rotations:teaching")).content.decode()
    assert "Nephrology Clerkship" in html
    assert teaching["coming"].applicant.full_name in html
    assert "All verified (1/1)" in html
    # Only confirmed people: not someone still under review; not other rotations.
    assert teaching["pending"].applicant.full_name not in html
    assert "Someone Else" not in html


def test_session_detail_and_hidden_sessions(
    preceptor_client: Client, teaching: dict[str, Any]
) -> None:
    url = reverse("rotations:teaching-session", args=[teaching["session"].pk])
    response = preceptor_client.get(url)
    assert response.status_code == 200
    assert "1 of 4 seats taken" in response.content.decode()
    hidden = reverse("rotations:teaching-session", args=[teaching["other"].pk])
    assert preceptor_client.get(hidden).status_code == 404


def test_preceptor_pages_refuse_other_roles(
    applicant_client: Client, coordinator_client: Client, teaching: dict[str, Any]
) -> None:
    assert applicant_client.get(reverse("rotations:teaching")).status_code == 403
    assert coordinator_client.get(reverse("rotations:teaching")).status_code == 403


def test_preceptor_dashboard_panel_query_count_is_constant(
    preceptor: Any, preceptor_client: Client, teaching: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchway.rotations.selectors_pages import preceptor_sessions

    with CaptureQueriesContext(connection) as few:
        preceptor_sessions(user=preceptor)
    for _ in range(5):
        ApplicationFactory(session=teaching["session"], status=ApplicationStatus.CONFIRMED)
    RotationSessionFactory(rotation=teaching["session"].rotation)
    with CaptureQueriesContext(connection) as many:
        preceptor_sessions(user=preceptor)
    assert len(few.captured_queries) == len(many.captured_queries)
    html = preceptor_client.get("/dashboard/").content.decode()
    assert "Who is coming" in html


def test_empty_state(preceptor_client: Client, reference_data: None) -> None:
    html = preceptor_client.get(reverse("rotations:teaching")).content.decode()
    assert "No sessions yet" in html
