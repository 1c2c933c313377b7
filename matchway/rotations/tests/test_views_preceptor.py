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


# --- roster warning: on the rotation now, documents not verified --------------------------


def test_roster_warns_about_a_student_in_progress_without_verified_documents(
    preceptor: Any, preceptor_client: Client, teaching: dict[str, Any]
) -> None:
    session = teaching["session"]
    required = session.rotation.required_document_types.get()
    running = ApplicationFactory(session=session, status=ApplicationStatus.IN_PROGRESS)
    DocumentFactory(owner=running.applicant, type=required, status=DocumentStatus.UPLOADED)
    ready = ApplicationFactory(session=session, status=ApplicationStatus.IN_PROGRESS)
    DocumentFactory(owner=ready.applicant, type=required, status=DocumentStatus.VERIFIED)
    for url in (
        reverse("rotations:teaching"),
        reverse("rotations:teaching-session", args=[session.pk]),
    ):
        html = preceptor_client.get(url).content.decode()
        rows = {row.split("</tr>")[0] for row in html.split("<tr")[1:]}
        warned = [r for r in rows if "On the rotation now, documents not verified" in r]
        assert len(warned) == 1 and running.applicant.full_name in warned[0]
        # Verified, or only confirmed (not on the rotation yet): no warning on their rows.
        assert not any(ready.applicant.full_name in r for r in warned)
        assert not any(teaching["coming"].applicant.full_name in r for r in warned)


def test_roster_reads_standing_so_an_expired_verified_document_is_not_verified(
    preceptor: Any, preceptor_client: Client, teaching: dict[str, Any]
) -> None:
    import datetime as dt

    from matchway.core import clock

    session = teaching["session"]
    required = session.rotation.required_document_types.get()
    running = ApplicationFactory(session=session, status=ApplicationStatus.IN_PROGRESS)
    DocumentFactory(
        owner=running.applicant,
        type=required,
        status=DocumentStatus.VERIFIED,
        expires_on=clock.provider_today() - dt.timedelta(days=1),
    )
    html = preceptor_client.get(reverse("rotations:teaching")).content.decode()
    assert "On the rotation now, documents not verified" in html


def test_roster_query_count_stays_constant_with_warnings(
    preceptor: Any, teaching: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchway.rotations.selectors_pages import preceptor_sessions

    with CaptureQueriesContext(connection) as few:
        preceptor_sessions(user=preceptor)
    required = teaching["session"].rotation.required_document_types.get()
    for status in (DocumentStatus.UPLOADED, DocumentStatus.VERIFIED, DocumentStatus.REJECTED):
        running = ApplicationFactory(
            session=teaching["session"], status=ApplicationStatus.IN_PROGRESS
        )
        DocumentFactory(owner=running.applicant, type=required, status=status)
    with CaptureQueriesContext(connection) as many:
        sessions = preceptor_sessions(user=preceptor)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert sum(p.needs_attention for s in sessions for p in s.people) == 2
