"""Coordinator workspace: sites, rotations (Markdown preview), publish, sessions, rosters."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent
from matchway.documents.models import DocumentStatus
from matchway.documents.tests.factories import DocumentFactory
from matchway.rotations.models import (
    ApplicationStatus,
    Rotation,
    RotationSession,
    SessionStatus,
    Site,
)
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_workspace_overview(coordinator_client: Client, reference_data: None) -> None:
    session = RotationSessionFactory(start_date=timezone.localdate() + dt.timedelta(days=10))
    ApplicationFactory(session=session)
    html = coordinator_client.get(reverse("rotations:manage")).content.decode()
    assert "Coordinator workspace" in html
    assert session.rotation.title in html
    assert 'class="stat-number">1<' in html


def test_wrong_roles_get_403(
    applicant_client: Client, preceptor_client: Client, reference_data: None
) -> None:
    for name in ("rotations:manage", "rotations:manage-sites", "rotations:review-queue"):
        assert applicant_client.get(reverse(name)).status_code == 403
        assert preceptor_client.get(reverse(name)).status_code == 403


# --- sites ----------------------------------------------------------------------------------


def test_create_site_and_virtual_rules(coordinator_client: Client, reference_data: None) -> None:
    url = reverse("rotations:manage-site-create")
    response = coordinator_client.post(
        url,
        {
            "name": "Online Clinic",
            "kind": "virtual",
            "address": "1 Nowhere Road",
            "timezone": "America/Chicago",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "A virtual site has no street address." in html
    assert "Online Clinic" in html  # typed data kept
    response = coordinator_client.post(
        url, {"name": "Online Clinic", "kind": "virtual", "timezone": "America/Chicago"}
    )
    assert response.status_code == 302
    site = Site.objects.get(name="Online Clinic")
    assert AuditEvent.objects.filter(action="site.created", target_id=str(site.pk)).exists()
    response = coordinator_client.post(
        reverse("rotations:manage-site-edit", args=[site.pk]),
        {"name": "Online Clinic 2", "kind": "virtual", "timezone": "America/Chicago"},
    )
    site.refresh_from_db()
    assert site.name == "Online Clinic 2"
    assert (
        "Online Clinic 2"
        in coordinator_client.get(reverse("rotations:manage-sites")).content.decode()
    )


def test_physical_site_needs_city_and_state(
    coordinator_client: Client, reference_data: None
) -> None:
    response = coordinator_client.post(
        reverse("rotations:manage-site-create"),
        {"name": "Clinic", "kind": "clinic", "timezone": "America/Chicago"},
    )
    assert response.status_code == 422
    assert "Enter the city." in response.content.decode()


def test_unknown_site_is_404(coordinator_client: Client, reference_data: None) -> None:
    assert (
        coordinator_client.get(reverse("rotations:manage-site-edit", args=[999])).status_code == 404
    )


# --- rotations ------------------------------------------------------------------------------


def _rotation_form(site: Site, **extra: Any) -> dict[str, Any]:
    preceptor = UserFactory(role="preceptor")
    data = {
        "title": "Hospital Medicine Externship",
        "slug": "",
        "specialty": "140",
        "subspecialty": "Hospitalist",
        "kind": "externship",
        "hands_on": "on",
        "site": site.pk,
        "preceptors": [preceptor.pk],
        "description": "## Day one\n\nRounds at **7am**.",
        "weeks": 4,
        "price": "2500",
        "deposit": "500",
        "refund_policy": "Refundable until 30 days before.",
        "required_document_types": ["cv", "passport"],
        "graduates_allowed": "on",
        "students_allowed": "on",
        "eligibility_notes": "",
        "hold_hours": 72,
    }
    data.update(extra)
    return data


def test_create_rotation_unpublished_then_publish(
    coordinator_client: Client, anonymous: Client, reference_data: None
) -> None:
    site = SiteFactory()
    response = coordinator_client.post(
        reverse("rotations:manage-rotation-create"), _rotation_form(site)
    )
    assert response.status_code == 302
    rotation = Rotation.objects.get(slug="hospital-medicine-externship")
    assert rotation.price_cents == 250_000
    assert rotation.deposit_cents == 50_000
    assert not rotation.published
    assert set(rotation.required_document_types.values_list("pk", flat=True)) == {"cv", "passport"}
    assert anonymous.get(rotation.get_absolute_url()).status_code == 404
    coordinator_client.post(
        reverse("rotations:manage-rotation-publish", args=[rotation.pk]), {"published": "1"}
    )
    rotation.refresh_from_db()
    assert rotation.published
    assert anonymous.get(rotation.get_absolute_url()).status_code == 200
    assert "Hospital Medicine Externship" in anonymous.get("/rotations/").content.decode()
    coordinator_client.post(
        reverse("rotations:manage-rotation-publish", args=[rotation.pk]), {"published": "0"}
    )
    assert anonymous.get(rotation.get_absolute_url()).status_code == 404
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"rotation.created", "rotation.published", "rotation.unpublished"} <= actions


def test_rotation_form_errors_keep_typed_data(
    coordinator_client: Client, reference_data: None
) -> None:
    site = SiteFactory()
    response = coordinator_client.post(
        reverse("rotations:manage-rotation-create"),
        _rotation_form(site, deposit="9000", title="Keep This Title"),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "The deposit cannot be more than the price." in html
    assert "Keep This Title" in html
    assert "Rounds at **7am**." in html
    assert "<strong>7am</strong>" in html  # the preview is rendered server-side too


def test_reserved_or_taken_slug_refused(coordinator_client: Client, reference_data: None) -> None:
    RotationFactory(slug="taken")
    site = SiteFactory()
    url = reverse("rotations:manage-rotation-create")
    response = coordinator_client.post(url, _rotation_form(site, slug="taken"))
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    response = coordinator_client.post(url, _rotation_form(site, slug="manage"))
    assert "already uses this web address" in response.content.decode()


def test_edit_rotation(coordinator_client: Client, reference_data: None) -> None:
    rotation = RotationFactory(title="Old", price_cents=100_000, deposit_cents=0)
    url = reverse("rotations:manage-rotation-edit", args=[rotation.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'value="1000.00"' in page or 'value="1000"' in page
    response = coordinator_client.post(
        url, _rotation_form(rotation.site, title="New title", slug=rotation.slug, price="1200")
    )
    assert response.status_code == 302
    rotation.refresh_from_db()
    assert rotation.title == "New title"
    assert rotation.price_cents == 120_000


def test_markdown_preview_is_sanitized(coordinator_client: Client, reference_data: None) -> None:
    response = coordinator_client.post(
        reverse("rotations:manage-preview"),
        {"description": "**Bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)>"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert "<img" not in html


def test_manage_rotation_list_and_empty_state(
    coordinator_client: Client, reference_data: None
) -> None:
    html = coordinator_client.get(reverse("rotations:manage-rotations")).content.decode()
    assert "No rotations yet" in html
    RotationFactory(title="Neurology Observership", published=False)
    html = coordinator_client.get(reverse("rotations:manage-rotations")).content.decode()
    assert "Neurology Observership" in html
    assert "Draft" in html


# --- sessions -------------------------------------------------------------------------------


def test_add_one_session_and_a_series(coordinator_client: Client, reference_data: None) -> None:
    rotation = RotationFactory(weeks=4)
    start = timezone.localdate() + dt.timedelta(days=30)
    response = coordinator_client.post(
        reverse("rotations:manage-session-create", args=[rotation.pk]),
        {
            "one-start_date": start.isoformat(),
            "one-end_date": (start + dt.timedelta(days=27)).isoformat(),
            "one-capacity": 4,
            "one-booking_mode": "review",
        },
    )
    assert response.status_code == 302
    assert rotation.sessions.count() == 1
    response = coordinator_client.post(
        reverse("rotations:manage-session-series", args=[rotation.pk]),
        {
            "series-first_start": (start + dt.timedelta(weeks=4)).isoformat(),
            "series-every_weeks": 4,
            "series-count": 6,
            "series-capacity": 3,
            "series-booking_mode": "instant",
            "series-application_deadline_days_before": 14,
        },
    )
    assert response.status_code == 302
    sessions = list(rotation.sessions.order_by("start_date"))
    assert len(sessions) == 7
    assert (sessions[-1].start_date - sessions[1].start_date).days == 4 * 7 * 5
    page = coordinator_client.get(reverse("rotations:manage-rotation", args=[rotation.pk]))
    assert page.content.decode().count("/rotations/manage/sessions/") >= 7


def test_session_form_errors(coordinator_client: Client, reference_data: None) -> None:
    rotation = RotationFactory()
    start = timezone.localdate() + dt.timedelta(days=30)
    response = coordinator_client.post(
        reverse("rotations:manage-session-create", args=[rotation.pk]),
        {
            "one-start_date": start.isoformat(),
            "one-end_date": start.isoformat(),
            "one-capacity": 4,
            "one-booking_mode": "review",
        },
    )
    assert response.status_code == 422
    assert "The last day must be after the first day." in response.content.decode()
    assert not RotationSession.objects.exists()


def test_capacity_cannot_go_below_seats_in_use(
    coordinator_client: Client, reference_data: None
) -> None:
    session = RotationSessionFactory(capacity=3)
    ApplicationFactory.create_batch(2, session=session, status=ApplicationStatus.CONFIRMED)
    url = reverse("rotations:manage-session-capacity", args=[session.pk])
    response = coordinator_client.post(url, {"capacity": 1})
    assert response.status_code == 422
    assert "2 seats are in use" in response.content.decode()
    assert coordinator_client.post(url, {"capacity": 5}).status_code == 302
    session.refresh_from_db()
    assert session.capacity == 5


def test_close_and_cancel_session(coordinator_client: Client, reference_data: None) -> None:
    session = RotationSessionFactory()
    held = ApplicationFactory(session=session, status=ApplicationStatus.ACCEPTED)
    coordinator_client.post(
        reverse("rotations:manage-session-status", args=[session.pk]), {"status": "closed"}
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    url = reverse("rotations:manage-session-cancel", args=[session.pk])
    response = coordinator_client.post(url, {"reason": ""})
    assert response.status_code == 422
    response = coordinator_client.post(url, {"reason": "Preceptor on leave"})
    assert response.status_code == 302
    session.refresh_from_db()
    held.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert held.status == ApplicationStatus.CANCELLED
    html = coordinator_client.get(reverse("rotations:manage-session", args=[session.pk]))
    assert "Preceptor on leave" in html.content.decode()


def _make_roster(session: RotationSession, n: int) -> None:
    doc_type = session.rotation.required_document_types.get()
    for i in range(n):
        application = ApplicationFactory(
            session=session,
            status=ApplicationStatus.CONFIRMED if i % 2 else ApplicationStatus.SUBMITTED,
        )
        DocumentFactory(owner=application.applicant, type=doc_type, status=DocumentStatus.VERIFIED)


@pytest.mark.parametrize("n", [2, 12])
def test_roster_query_count_is_pinned(
    coordinator_client: Client, reference_data: None, django_assert_num_queries: Any, n: int
) -> None:
    rotation = RotationFactory(required_document_types=[DocumentTypeFactory()])
    session = RotationSessionFactory(rotation=rotation, capacity=20)
    _make_roster(session, n)
    # Warm-up: the header's unread-message count is cached per user (messaging), so the
    # pinned count is a warm page's.
    coordinator_client.get(reverse("rotations:manage-session", args=[session.pk]))
    # session-store + user + session with seats + roster (applications, payments, required
    # types, documents): the same for 2 and 12 applicants.
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(7):
        response = coordinator_client.get(reverse("rotations:manage-session", args=[session.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("1 / 1") == n


def test_roster_csv_is_injection_safe(coordinator_client: Client, reference_data: None) -> None:
    session = RotationSessionFactory(
        rotation=RotationFactory(required_document_types=[DocumentTypeFactory()])
    )
    evil = UserFactory(role="applicant", full_name='=HYPERLINK("http://evil","x")')
    ApplicationFactory(
        session=session, applicant=evil, referral_source="+1-555", status="confirmed"
    )
    response = coordinator_client.get(reverse("rotations:manage-session-csv", args=[session.pk]))
    assert response["Content-Type"] == "text/csv"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "application_id"
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][-1] == "'+1-555"
