"""No date clashes on the pages and the API (issue #19): the applicant is warned (never
blocked) when applying over their own live dates; the coordinator's confirm answers a clear
error on the review page and `409 date_conflict` in the API, unless overridden with a reason;
the "other applications" panel shows dates and highlights overlaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.models import AuditEvent
from matchway.rotations.models import Application, ApplicationStatus, BookingMode
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

S = ApplicationStatus
pytestmark = pytest.mark.django_db

D = clock.provider_today() + dt.timedelta(days=90)


def _app(applicant: User, start: dt.date, end: dt.date, status: str, title: str) -> Application:
    rotation = RotationFactory(title=title, deposit_cents=0)
    session = RotationSessionFactory(rotation=rotation, start_date=start, end_date=end)
    return ApplicationFactory(applicant=applicant, session=session, status=status)


@pytest.fixture
def overlapping(applicant: User) -> dict[str, Application]:
    """A confirmed Cardiology rotation ending on D and a held Neurology one starting on D."""
    return {
        "confirmed": _app(applicant, D - dt.timedelta(days=27), D, S.CONFIRMED, "Cardiology"),
        "held": _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology"),
    }


# --- applying: a warning, not a block ---------------------------------------------------------


def test_apply_page_warns_about_own_overlapping_live_application(
    applicant: User, applicant_client: Client
) -> None:
    _app(applicant, D - dt.timedelta(days=27), D, S.SUBMITTED, "Cardiology Clerkship")
    session = RotationSessionFactory(
        rotation=RotationFactory(title="Neurology Observership"),
        start_date=D,
        end_date=D + dt.timedelta(days=27),
        booking_mode=BookingMode.REVIEW,
    )
    url = reverse("rotations:apply", args=[session.pk])
    html = applicant_client.get(url).content.decode()
    assert "These dates overlap another of your applications" in html
    assert "Cardiology Clerkship" in html
    assert f"{D:%b} {D.day}, {D.year}" in html  # the other rotation's last day
    response = applicant_client.post(
        url, {"motivation": "I want to learn.", "consent_share_documents": "on"}
    )
    assert response.status_code == 302  # applied anyway
    assert Application.objects.filter(applicant=applicant, session=session).exists()
    follow = applicant_client.get(response["Location"]).content.decode()
    assert "overlap your other application" in follow
    assert "Cardiology Clerkship" in follow


def test_apply_page_is_quiet_from_the_day_after(applicant: User, applicant_client: Client) -> None:
    _app(applicant, D - dt.timedelta(days=27), D, S.CONFIRMED, "Cardiology Clerkship")
    _app(applicant, D, D + dt.timedelta(days=5), S.WITHDRAWN, "Old withdrawn one")
    session = RotationSessionFactory(
        start_date=D + dt.timedelta(days=1), end_date=D + dt.timedelta(days=28)
    )
    html = applicant_client.get(reverse("rotations:apply", args=[session.pk])).content.decode()
    assert "date-clash-warning" not in html


# --- confirming on the review page --------------------------------------------------------------


def test_review_page_shows_dates_and_highlights_overlaps(
    coordinator_client: Client, overlapping: dict[str, Application], applicant: User
) -> None:
    later = _app(
        applicant, D + dt.timedelta(days=60), D + dt.timedelta(days=80), S.SUBMITTED, "Later One"
    )
    held = overlapping["held"]
    html = coordinator_client.get(reverse("rotations:review", args=[held.pk])).content.decode()
    assert "Other applications" in html
    # Dates for each other application; only the overlapping one is highlighted.
    assert f"{later.session.start_date:%b} {later.session.start_date.day}" in html
    assert html.count('class="clash-overlap"') == 1
    assert "Overlaps these dates" in html
    # The confirm box says confirming is refused and offers the clash override field.
    assert "already confirmed for" in html
    assert 'name="clash_override_reason"' in html


def test_review_confirm_shows_a_clear_error_and_keeps_the_hold(
    coordinator_client: Client, overlapping: dict[str, Application]
) -> None:
    held = overlapping["held"]
    response = coordinator_client.post(reverse("rotations:review-confirm", args=[held.pk]), {})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="form-errors" role="alert"' in html
    assert "already confirmed for these dates: Cardiology" in html
    held.refresh_from_db()
    assert held.status == S.ACCEPTED


def test_review_confirm_with_clash_reason_confirms_and_audits(
    coordinator_client: Client, overlapping: dict[str, Application]
) -> None:
    held = overlapping["held"]
    response = coordinator_client.post(
        reverse("rotations:review-confirm", args=[held.pk]),
        {"clash_override_reason": "The Cardiology rotation ends at noon on the shared day."},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == S.CONFIRMED
    event = AuditEvent.objects.get(action="application.confirm_clash_override")
    assert event.data["other_application_ids"] == [overlapping["confirmed"].pk]


def test_review_page_without_clash_has_no_clash_field(
    coordinator_client: Client, applicant: User
) -> None:
    held = _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology")
    html = coordinator_client.get(reverse("rotations:review", args=[held.pk])).content.decode()
    assert 'name="clash_override_reason"' not in html
    assert "clash-overlap" not in html


# --- API ------------------------------------------------------------------------------------------


def _confirm_url(application: Application) -> str:
    return f"/api/v1/applications/{application.pk}/confirm"


def test_api_confirm_answers_409_date_conflict(
    coordinator_client: Client, overlapping: dict[str, Application]
) -> None:
    held, other = overlapping["held"], overlapping["confirmed"]
    response = coordinator_client.post(_confirm_url(held), {}, content_type="application/json")
    assert response.status_code == 409, response.content
    body: dict[str, Any] = response.json()
    assert body["code"] == "date_conflict"
    assert "Cardiology" in body["message"]
    assert body["conflicts"][0]["application_id"] == other.pk
    assert body["conflicts"][0]["end_date"] == D.isoformat()
    # The deposit/documents override is not a clash override.
    response = coordinator_client.post(
        _confirm_url(held),
        {"override_reason": "deposit by cheque"},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_api_confirm_with_clash_override(
    coordinator_client: Client, overlapping: dict[str, Application]
) -> None:
    held = overlapping["held"]
    response = coordinator_client.post(
        _confirm_url(held),
        {"clash_override_reason": "Split days, agreed with both sites."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"


def test_api_confirm_without_clash(coordinator_client: Client, applicant: User) -> None:
    held = _app(applicant, D, D + dt.timedelta(days=27), S.ACCEPTED, "Neurology")
    response = coordinator_client.post(_confirm_url(held), {}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"


def test_api_confirm_hidden_from_others(
    applicant_client: Client, overlapping: dict[str, Application]
) -> None:
    response = applicant_client.post(
        _confirm_url(overlapping["held"]), {}, content_type="application/json"
    )
    assert response.status_code == 403
