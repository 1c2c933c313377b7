from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.core import clock
from matchway.core.models import AuditEvent
from matchway.letters.models import LetterRequest, LetterStatus
from matchway.letters.services.compose import letter_request_create
from matchway.rotations.models import ApplicationStatus

from .factories import (
    last_link_token,
    pdf_upload,
    request_input,
    rotation_application,
    sent_request,
    uploaded_request,
)

pytestmark = pytest.mark.django_db


def _compose_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "writer_name": "Dr. Olu Bello",
        "writer_email": "olu.bello@example.org",
        "writer_title": "MD",
        "kind": "narrative",
        "specialty_code": "general",
        "due_date": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
        "eras_letter_id": "",
        "waived": "yes",
        "message": "Dear Dr. Bello, thank you.",
        "brag_notes": "",
    }
    data.update(overrides)
    return data


def test_source_chooser_lists_preceptors_of_eligible_rotations(
    applicant: Any, applicant_client: Client, preceptor: Any
) -> None:
    rotation_application(applicant, preceptor, status=ApplicationStatus.IN_PROGRESS)
    rotation_application(applicant, preceptor, status=ApplicationStatus.SUBMITTED)
    response = applicant_client.get(reverse("letters:request-create"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("Ask Dr.") == 1
    assert body.count("Someone else from this rotation") == 1


def test_outside_writer_compose_and_send(applicant: Any, applicant_client: Client) -> None:
    url = reverse("letters:request-create") + "?outside=1"
    page = applicant_client.get(url)
    assert page.status_code == 200
    assert "Ask in person first." in page.content.decode()
    response = applicant_client.post(url, {**_compose_data(), "send": "1"})
    assert response.status_code == 302
    req = LetterRequest.objects.get()
    assert req.status == LetterStatus.REQUESTED
    assert req.waived is True
    assert mail.outbox[-1].to == ["olu.bello@example.org"]


def test_compose_errors_keep_what_was_typed(applicant: Any, applicant_client: Client) -> None:
    url = reverse("letters:request-create") + "?outside=1"
    data = _compose_data(
        writer_email=applicant.email,
        due_date=(timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        message="My carefully written message",
    )
    response = applicant_client.post(url, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "My carefully written message" in body
    assert "You cannot be the writer of your own letter." in body
    assert "The due date cannot be in the past." in body
    assert not LetterRequest.objects.exists()


def test_composer_from_rotation_in_first_half_offers_a_reminder(
    applicant: Any, applicant_client: Client, preceptor: Any
) -> None:
    application = rotation_application(
        applicant,
        preceptor,
        status=ApplicationStatus.IN_PROGRESS,
        start=timezone.localdate() - dt.timedelta(days=3),
    )
    url = reverse("letters:request-create") + f"?application={application.pk}&writer={preceptor.pk}"
    page = applicant_client.get(url).content.decode()
    best = application.session.start_date + dt.timedelta(days=14)
    assert "still in its first half" in page
    assert best.strftime("%B") in page
    assert "Remind me by email on that day" in page
    data = _compose_data(remind_me="on")
    for key in ("writer_name", "writer_email", "writer_title"):
        data.pop(key)
    response = applicant_client.post(url, data)
    assert response.status_code == 302
    req = LetterRequest.objects.get()
    assert req.status == LetterStatus.DRAFT
    assert req.writer == preceptor
    assert req.remind_applicant_on == best


def test_short_notice_warning_via_htmx_partial(applicant: Any, applicant_client: Client) -> None:
    due = timezone.localdate() + dt.timedelta(days=10)
    response = applicant_client.get(
        reverse("letters:compose-guidance"),
        {"due_date": due.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "less than four weeks" in body
    assert "<html" not in body


def test_detail_is_audited_and_hidden_from_others(
    applicant: Any, applicant_client: Client, outsider_client: Client
) -> None:
    req = sent_request(applicant)
    url = reverse("letters:request-detail", args=[req.pk])
    assert applicant_client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="letter_request.viewed").count() == 1
    assert outsider_client.get(url).status_code == 404


def test_nudge_button_twice_shows_when_next(applicant: Any, applicant_client: Client) -> None:
    req = sent_request(applicant)
    url = reverse("letters:request-nudge", args=[req.pk])
    # Issue #17: no reminder button in the first week after the request went out.
    detail = applicant_client.get(reverse("letters:request-detail", args=[req.pk])).content
    assert url not in detail.decode()
    assert "Give them time to answer" in detail.decode()
    LetterRequest.objects.filter(pk=req.pk).update(requested_at=clock.now() - dt.timedelta(days=8))
    detail = applicant_client.get(reverse("letters:request-detail", args=[req.pk])).content
    assert url in detail.decode()
    first = applicant_client.post(url, follow=True)
    assert "friendly reminder" in first.content.decode()
    second = applicant_client.post(url, follow=True).content.decode()
    assert "Give them time to answer" in second
    assert url not in second


def test_edit_live_request_adds_letter_id(applicant: Any, applicant_client: Client) -> None:
    req = sent_request(applicant)
    url = reverse("letters:request-edit", args=[req.pk])
    page = applicant_client.get(url).content.decode()
    assert "ERAS Letter ID" in page
    assert "Waive your right" not in page
    response = applicant_client.post(
        url, {"eras_letter_id": " X-42 ", "due_date": req.due_date.isoformat()}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.eras_letter_id == "X-42"


def test_withdraw_from_page(applicant: Any, applicant_client: Client) -> None:
    req = sent_request(applicant)
    response = applicant_client.post(
        reverse("letters:request-withdraw", args=[req.pk]), {"reason": "No longer needed"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == LetterStatus.WITHDRAWN


def test_brag_sheet_downloads(applicant: Any, applicant_client: Client, anonymous: Client) -> None:
    req = sent_request(applicant, brag_notes="I led the team huddle on discharge planning.")
    pdf = applicant_client.get(reverse("letters:request-brag-sheet", args=[req.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    txt = applicant_client.get(reverse("letters:request-brag-sheet", args=[req.pk, "txt"]))
    assert "discharge planning" in txt.content.decode()
    writer = anonymous.get(
        reverse("letters:write-brag-sheet", args=[last_link_token(), "txt"])
    ).content.decode()
    assert "discharge planning" in writer
    assert (
        applicant_client.get(
            reverse("letters:request-brag-sheet", args=[req.pk, "exe"])
        ).status_code
        == 404
    )


def test_preceptor_account_flow(applicant: Any, preceptor: Any, preceptor_client: Client) -> None:
    req = sent_request(applicant, writer_email=preceptor.email)
    listing = preceptor_client.get(reverse("letters:writing-list")).content.decode()
    assert "Alice Adeyemi" in listing
    dashboard = preceptor_client.get(reverse("dashboard")).content.decode()
    assert reverse("letters:writing-detail", args=[req.pk]) in dashboard
    url = reverse("letters:writing-detail", args=[req.pk])
    assert preceptor_client.post(url, {"action": "accept"}).status_code == 302
    assert preceptor_client.post(url, {"action": "upload", "file": pdf_upload()}).status_code == 302
    response = preceptor_client.post(url, {"action": "finalize"}, follow=True)
    assert "The letter is final" in response.content.decode()
    req.refresh_from_db()
    assert req.finalized_at is not None
    # After final the account still shows it (read-only) and can confirm the ERAS upload.
    assert preceptor_client.post(url, {"action": "eras"}).status_code == 302
    req.refresh_from_db()
    assert req.eras_uploaded_at is not None
    assert preceptor_client.get(reverse("letters:writing-letter", args=[req.pk])).status_code == 200


def test_preceptor_never_sees_drafts_or_others_requests(
    applicant: Any, preceptor: Any, preceptor_client: Client
) -> None:
    draft = letter_request_create(actor=applicant, data=request_input(writer_email=preceptor.email))
    other = sent_request(applicant)
    for req in (draft, other):
        assert (
            preceptor_client.get(reverse("letters:writing-detail", args=[req.pk])).status_code
            == 404
        )


def test_assignments_page(applicant: Any, applicant_client: Client) -> None:
    req = uploaded_request(applicant)
    page = applicant_client.get(reverse("letters:assignments"))
    assert page.status_code == 200
    letter_id = req.letter.pk
    response = applicant_client.post(
        reverse("letters:assignments"), {"letter": letter_id, "program_label": "Lakeside IM"}
    )
    assert response.status_code == 302
    body = applicant_client.get(reverse("letters:assignments")).content.decode()
    assert "Lakeside IM" in body
    assert "1 of 4 letters" in body


def test_list_and_dashboard_query_counts_do_not_grow(
    applicant: Any, applicant_client: Client, django_assert_max_num_queries: Any
) -> None:
    for i in range(3):
        uploaded_request(applicant, waived=bool(i % 2), writer_email=f"w{i}@example.org")
    with django_assert_max_num_queries(12) as few:
        applicant_client.get(reverse("letters:request-list"))
    baseline = len(few.captured_queries)
    for i in range(3, 9):
        uploaded_request(applicant, waived=bool(i % 2), writer_email=f"w{i}@example.org")
    with django_assert_max_num_queries(baseline):
        applicant_client.get(reverse("letters:request-list"))
    with django_assert_max_num_queries(30) as dash:
        applicant_client.get(reverse("dashboard"))
    dash_count = len(dash.captured_queries)
    uploaded_request(applicant, writer_email="late@example.org")
    with django_assert_max_num_queries(dash_count):
        applicant_client.get(reverse("dashboard"))


def test_lists_have_pinned_query_counts(
    applicant: Any,
    applicant_client: Client,
    preceptor: Any,
    preceptor_client: Client,
    coordinator_client: Client,
    django_assert_num_queries: Any,
) -> None:
    for i in range(4):
        uploaded_request(
            applicant,
            waived=bool(i % 2),
            writer_email=f"w{i}@example.org",
            route_to_coordinators=True,
        )
    for i in range(3):
        sent_request(applicant, writer_email=preceptor.email, eras_letter_id=f"P-{i}")
    # Warm-up: the header's unread-message count is cached per user (messaging), so the
    # pinned count is a warm page's.
    preceptor_client.get(reverse("letters:writing-list"))
    coordinator_client.get(reverse("letters:coordinator-list"))
    # user, requests (writer, applicant, rotation joined), specialty names, visible letters,
    # count
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(6):
        assert applicant_client.get("/api/v1/me/letter-requests").status_code == 200
    # user, requests, specialty names, letters (the writer's own): no per-row queries
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(5):
        assert preceptor_client.get(reverse("letters:writing-list")).status_code == 200
    # user, count, page of requests, specialty names, routed letters
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(6):
        assert coordinator_client.get(reverse("letters:coordinator-list")).status_code == 200


# --- issue #17: the pre-filled message follows the details until it is edited -------------


def _specialty() -> Any:
    from matchway.reference.models import Specialty

    return Specialty.objects.first() or Specialty.objects.create(
        code="140", name="Internal Medicine (Categorical)"
    )


def test_message_follows_specialty_and_due_date_until_edited(
    applicant: Any, applicant_client: Client
) -> None:
    specialty = _specialty()
    url = reverse("letters:compose-message")
    page = applicant_client.get(reverse("letters:request-create") + "?outside=1").content
    assert url in page.decode()  # the field is wired to the endpoint
    params = {
        "specialty_code": specialty.code,
        "due_date": "2027-03-28",
        "writer_name": "Priya Raman",
        "writer_title": "MD, Internal Medicine",
        "message_auto": "1",
    }
    fresh = applicant_client.get(url, params, HTTP_HX_REQUEST="true")
    body = fresh.content.decode()
    assert fresh.status_code == 200
    assert "Dear Dr. Raman," in body
    assert f"I am applying to {specialty.name} residency programs" in body
    assert "March 28, 2027" in body
    assert 'name="message_auto" value="1"' in body
    # Once edited, the applicant's words are never replaced: only an offer to update.
    edited = applicant_client.get(url, {**params, "message_auto": "0"}, HTTP_HX_REQUEST="true")
    assert edited["HX-Retarget"] == "#letter-message-notice"
    assert "Update the message" in edited.content.decode()
    assert "Dear Dr. Raman" not in edited.content.decode()
    # Asked for, the draft comes back for the new details.
    refreshed = applicant_client.get(
        url, {**params, "message_auto": "0", "refresh": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Dear Dr. Raman," in refreshed.content.decode()


def test_message_endpoint_ignores_another_applicants_rotation(
    applicant: Any, applicant_client: Client, preceptor: Any
) -> None:
    from matchway.accounts.tests.factories import UserFactory

    other = rotation_application(
        UserFactory(role="applicant"), preceptor, status=ApplicationStatus.COMPLETED
    )
    response = applicant_client.get(
        reverse("letters:compose-message"),
        {"application": other.pk, "message_auto": "1", "specialty_code": "general"},
    )
    assert response.status_code == 200
    assert other.session.rotation.title not in response.content.decode()
