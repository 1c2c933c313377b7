"""Preceptor pages: my sessions and who is coming, never other preceptors' sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent
from matchway.documents.models import DocumentStatus, DocumentType
from matchway.documents.tests import samples
from matchway.documents.tests.factories import DocumentFactory, upload_document
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


# --- documents of booked applicants (rotations decides, documents streams) ---------------


def test_preceptor_of_a_confirmed_applicant_downloads_required_documents_only(
    applicant: Any, preceptor: Any, preceptor_client: Client, reference_data: None
) -> None:
    cv = upload_document(applicant, "cv")
    photo = upload_document(applicant, "photo", content=samples.make_png(), name="me.png")
    rotation = RotationFactory(
        preceptors=[preceptor], required_document_types=[DocumentType.objects.get(code="cv")]
    )
    session = RotationSessionFactory(rotation=rotation)
    application = ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.SUBMITTED
    )
    url = reverse("rotations:teaching-document", args=[cv.pk])
    assert preceptor_client.get(url).status_code == 404  # not confirmed yet

    type(application).objects.filter(pk=application.pk).update(status=ApplicationStatus.CONFIRMED)
    response = preceptor_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="document.downloaded", actor=preceptor).count() == 1
    # A type the rotation does not require stays hidden.
    photo_url = reverse("rotations:teaching-document", args=[photo.pk])
    assert preceptor_client.get(photo_url).status_code == 404


def test_an_outsider_preceptor_gets_404_for_a_booked_applicants_document(
    applicant: Any, preceptor: Any, reference_data: None
) -> None:
    cv = upload_document(applicant, "cv")
    rotation = RotationFactory(
        preceptors=[preceptor], required_document_types=[DocumentType.objects.get(code="cv")]
    )
    ApplicationFactory(
        applicant=applicant,
        session=RotationSessionFactory(rotation=rotation),
        status=ApplicationStatus.CONFIRMED,
    )
    outsider = Client()
    outsider.force_login(UserFactory(role="preceptor"))
    response = outsider.get(reverse("rotations:teaching-document", args=[cv.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_other_roles_cannot_use_the_preceptor_download(
    applicant: Any, applicant_client: Client, reference_data: None
) -> None:
    cv = upload_document(applicant, "cv")
    url = reverse("rotations:teaching-document", args=[cv.pk])
    assert applicant_client.get(url).status_code == 403
