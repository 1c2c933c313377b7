"""Coordinator review: queue filters, bulk decisions, CSV export and the application page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent
from matchway.documents.models import DocumentStatus
from matchway.documents.tests.factories import DocumentFactory
from matchway.rotations.models import Application, ApplicationStatus, BookingMode, Payment
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = pytest.mark.django_db
QUEUE = "/rotations/manage/applications/"


@pytest.fixture
def review_session(reference_data: None) -> Any:
    rotation = RotationFactory(
        title="Pediatrics Clerkship", required_document_types=[DocumentTypeFactory()]
    )
    return RotationSessionFactory(rotation=rotation, booking_mode=BookingMode.REVIEW, capacity=2)


@pytest.fixture
def submitted(applicant: Any, review_session: Any) -> Application:
    return application_submit(
        actor=applicant,
        session=review_session,
        motivation="=cmd|' /C calc'!A0",
        consent_share_documents=True,
    )


def _names(response: Any) -> list[str]:
    return [a.applicant.full_name for a in response.context["page"].object_list]


def test_queue_defaults_to_needs_action_and_filters(
    coordinator_client: Client, submitted: Application, review_session: Any
) -> None:
    ApplicationFactory(
        session=review_session,
        status=ApplicationStatus.DECLINED,
        applicant=UserFactory(full_name="Declined Person"),
    )
    response = coordinator_client.get(QUEUE)
    assert _names(response) == ["Alice Adeyemi"]
    assert _names(coordinator_client.get(f"{QUEUE}?status=declined")) == ["Declined Person"]
    assert len(_names(coordinator_client.get(f"{QUEUE}?status=all"))) == 2
    assert _names(coordinator_client.get(f"{QUEUE}?q=alice")) == ["Alice Adeyemi"]
    assert _names(coordinator_client.get(f"{QUEUE}?specialty=320")) == []
    assert _names(coordinator_client.get(f"{QUEUE}?session={review_session.pk}")) == [
        "Alice Adeyemi"
    ]
    assert _names(coordinator_client.get(f"{QUEUE}?missing_documents=on")) == ["Alice Adeyemi"]
    DocumentFactory(
        owner=submitted.applicant,
        type=review_session.rotation.required_document_types.get(),
        status=DocumentStatus.VERIFIED,
    )
    assert _names(coordinator_client.get(f"{QUEUE}?missing_documents=on")) == []


def test_queue_bad_filters_are_ignored(coordinator_client: Client, submitted: Application) -> None:
    response = coordinator_client.get(f"{QUEUE}?status=bogus&specialty=zz&session=abc&page=x")
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()


def test_queue_htmx_partial(coordinator_client: Client, submitted: Application) -> None:
    response = coordinator_client.get(f"{QUEUE}?status=all", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Alice Adeyemi" in html
    assert "<html" not in html


def test_queue_empty_state(coordinator_client: Client, reference_data: None) -> None:
    assert "No applications here" in coordinator_client.get(QUEUE).content.decode()


@pytest.mark.parametrize("n", [2, 15])
def test_queue_query_count_is_pinned(
    coordinator_client: Client, review_session: Any, django_assert_num_queries: Any, n: int
) -> None:
    for _ in range(n):
        ApplicationFactory(session=review_session)
    # Warm-up: the header's unread-message count is cached per user (messaging), so the
    # pinned count is a warm page's.
    coordinator_client.get(QUEUE)
    # session-store + user + count + one page (applicant, session, rotation, missing
    # documents and waitlist rank annotated in SQL) — the same for 2 and 15 rows.
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(5):
        response = coordinator_client.get(QUEUE)
    assert len(response.context["page"].object_list) == n


def test_bulk_accept_reports_successes_and_failures(
    coordinator_client: Client, review_session: Any
) -> None:
    apps = [ApplicationFactory(session=review_session) for _ in range(3)]
    response = coordinator_client.post(
        reverse("rotations:review-bulk"),
        {
            "ids": [a.pk for a in apps],
            "action": "accept",
            "message": "Welcome!",
            "query": "status=all",
        },
        follow=True,
    )
    html = response.content.decode()
    statuses = sorted(Application.objects.values_list("status", flat=True))
    # Two seats: two accepted, the third refused with a clear reason.
    assert statuses == ["accepted", "accepted", "submitted"]
    assert "2 application(s) updated." in html
    assert "This session is full." in html
    assert response.redirect_chain[-1][0].endswith("?status=all")


def test_bulk_without_selection(coordinator_client: Client, submitted: Application) -> None:
    response = coordinator_client.post(
        reverse("rotations:review-bulk"), {"action": "decline"}, follow=True
    )
    assert "Select at least one application first." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_queue_csv_export_is_injection_safe(
    coordinator_client: Client, submitted: Application
) -> None:
    response = coordinator_client.get(reverse("rotations:review-queue-csv") + "?status=all")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="applications-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "motivation"
    assert rows[1][-1] == "'=cmd|' /C calc'!A0"
    assert rows[1][1] == "Alice Adeyemi"


# --- application page -------------------------------------------------------------------


def test_review_page_shows_profile_documents_and_timeline(
    coordinator_client: Client, submitted: Application, review_session: Any
) -> None:
    profile = submitted.applicant.applicant_profile
    profile.medical_school = "University of Ibadan"
    profile.save()
    document = DocumentFactory(
        owner=submitted.applicant, type=review_session.rotation.required_document_types.get()
    )
    response = coordinator_client.get(reverse("rotations:review", args=[submitted.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "University of Ibadan" in html
    assert reverse("documents:download", args=[document.pk]) in html
    assert reverse("documents:verify", args=[document.pk]) in html
    assert "Save decision" in html
    assert "by Alice Adeyemi" in html


def test_review_page_unknown_is_404(coordinator_client: Client, reference_data: None) -> None:
    assert coordinator_client.get(reverse("rotations:review", args=[999])).status_code == 404


def test_full_review_flow_accept_pay_confirm_start(
    coordinator_client: Client, submitted: Application, review_session: Any
) -> None:
    url = reverse("rotations:review-decide", args=[submitted.pk])
    response = coordinator_client.post(url, {"action": "accept", "message": "See you!"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ACCEPTED
    # Confirm refuses while the document and deposit are missing ...
    confirm = reverse("rotations:review-confirm", args=[submitted.pk])
    response = coordinator_client.post(confirm, {"override_reason": ""})
    assert response.status_code == 422
    assert "cannot be confirmed yet" in response.content.decode()
    # ... a payment with a bad amount keeps the typed reference ...
    pay = reverse("rotations:review-payment", args=[submitted.pk])
    response = coordinator_client.post(pay, {"amount": "0", "method": "card", "reference": "R-1"})
    assert response.status_code == 422
    assert 'value="R-1"' in response.content.decode()
    # ... then deposit and verified document make it ready.
    coordinator_client.post(pay, {"amount": "500.00", "method": "card", "reference": "R-1"})
    assert Payment.objects.get().amount_cents == 50_000
    DocumentFactory(
        owner=submitted.applicant,
        type=review_session.rotation.required_document_types.get(),
        status=DocumentStatus.VERIFIED,
    )
    page = coordinator_client.get(reverse("rotations:review", args=[submitted.pk]))
    assert "ready to confirm" in page.content.decode()
    assert coordinator_client.post(confirm, {}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.CONFIRMED
    # Starting before the start date is refused with the date.
    progress = reverse("rotations:review-progress", args=[submitted.pk])
    response = coordinator_client.post(progress, {"step": "start"})
    assert response.status_code == 422
    assert review_session.start_date.isoformat() in response.content.decode()


def test_confirm_with_override_reason_is_audited(
    coordinator_client: Client, submitted: Application
) -> None:
    coordinator_client.post(
        reverse("rotations:review-decide", args=[submitted.pk]), {"action": "accept"}
    )
    response = coordinator_client.post(
        reverse("rotations:review-confirm", args=[submitted.pk]),
        {"override_reason": "Documents checked by phone with the dean"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.CONFIRMED
    assert AuditEvent.objects.filter(action="application.confirm_override").exists()


def test_extend_hold_and_cancel(coordinator_client: Client, submitted: Application) -> None:
    coordinator_client.post(
        reverse("rotations:review-decide", args=[submitted.pk]), {"action": "accept"}
    )
    submitted.refresh_from_db()
    before = submitted.hold_expires_at
    assert before is not None
    response = coordinator_client.post(
        reverse("rotations:review-extend", args=[submitted.pk]), {"hours": 24}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.hold_expires_at == before + dt.timedelta(hours=24)
    cancel = reverse("rotations:review-cancel", args=[submitted.pk])
    assert coordinator_client.post(cancel, {"cancel-reason": ""}).status_code == 422
    assert coordinator_client.post(cancel, {"cancel-reason": "No-show"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.CANCELLED
    html = coordinator_client.get(reverse("rotations:review", args=[submitted.pk])).content.decode()
    assert "No-show" in html


def test_decision_on_closed_application_is_a_message_not_a_500(
    coordinator_client: Client, submitted: Application
) -> None:
    coordinator_client.post(
        reverse("rotations:review-decide", args=[submitted.pk]), {"action": "decline"}
    )
    response = coordinator_client.post(
        reverse("rotations:review-decide", args=[submitted.pk]), {"action": "accept"}
    )
    assert response.status_code == 422
    assert "not possible in the current state" in response.content.decode()


def test_review_actions_refused_for_other_roles(
    applicant_client: Client, preceptor_client: Client, submitted: Application
) -> None:
    url = reverse("rotations:review-decide", args=[submitted.pk])
    assert applicant_client.post(url, {"action": "accept"}).status_code == 403
    assert preceptor_client.post(url, {"action": "accept"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_coordinator_dashboard_panel(coordinator_client: Client, submitted: Application) -> None:
    submitted.session.start_date = timezone.localdate() + dt.timedelta(days=5)
    submitted.session.end_date = submitted.session.start_date + dt.timedelta(days=20)
    submitted.session.save()
    html = coordinator_client.get("/dashboard/").content.decode()
    assert "Review queue" in html
    assert "Pediatrics Clerkship" in html
