"""Applicant pages: apply/book/waitlist, application timeline, withdraw, .ics, calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matchway.accounts.tests.factories import UserFactory
from matchway.documents.models import DocumentStatus
from matchway.documents.tests.factories import DocumentFactory
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    BookingMode,
    CalendarFeed,
)
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(reference_data: None) -> Any:
    rotation = RotationFactory(
        title="Cardiology Clerkship",
        required_document_types=[DocumentTypeFactory()],
        hold_hours=48,
    )
    return RotationSessionFactory(rotation=rotation, capacity=1, booking_mode=BookingMode.INSTANT)


def _apply_url(session: Any) -> str:
    return reverse("rotations:apply", args=[session.pk])


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "motivation": "I want to see US cardiology.",
        "referral_source": "friend",
        "consent_share_documents": "on",
        **extra,
    }


def test_apply_page_shows_checklist_and_booking_explanation(
    applicant: Any, applicant_client: Client, session: Any
) -> None:
    DocumentFactory(
        owner=applicant,
        type=session.rotation.required_document_types.get(),
        status=DocumentStatus.VERIFIED,
    )
    response = applicant_client.get(_apply_url(session))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Book your seat" in html
    assert "Curriculum vitae" in html
    assert "Verified" in html
    assert "48 hours" in html


def test_expiring_document_flagged_on_apply_page(
    applicant: Any, applicant_client: Client, session: Any
) -> None:
    DocumentFactory(
        owner=applicant,
        type=session.rotation.required_document_types.get(),
        status=DocumentStatus.VERIFIED,
        expires_on=session.start_date + dt.timedelta(days=3),
    )
    html = applicant_client.get(_apply_url(session)).content.decode()
    assert "Expires before the rotation ends" in html


def test_instant_booking_holds_a_seat(
    applicant: Any, applicant_client: Client, session: Any
) -> None:
    response = applicant_client.post(_apply_url(session), _form())
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response["Location"] == reverse("rotations:application", args=[application.pk])
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.referral_source == "friend"
    page = applicant_client.get(response["Location"]).content.decode()
    assert "Your seat is held until" in page
    assert applicant.timezone in page


def test_consent_is_required_and_typed_text_is_kept(applicant_client: Client, session: Any) -> None:
    response = applicant_client.post(
        _apply_url(session), {"motivation": "Keep me, please", "referral_source": "forum"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "The site needs your documents to review you." in html
    assert "Keep me, please" in html
    assert '<option value="forum" selected>' in html
    assert not Application.objects.exists()


def test_full_session_offers_waitlist_and_keeps_text(
    applicant: Any, applicant_client: Client, session: Any
) -> None:
    ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)
    # The page itself already says "full" ...
    assert "Join the waitlist" in applicant_client.get(_apply_url(session)).content.decode()
    # ... and a plain submit (no waitlist) is refused with the offer, keeping the text.
    response = applicant_client.post(_apply_url(session), _form(motivation="Still keen"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "just filled up" in html
    assert "Still keen" in html
    assert 'name="waitlist" value="1"' in html
    response = applicant_client.post(_apply_url(session), _form(waitlist="1"))
    application = Application.objects.get(applicant=applicant)
    assert application.status == ApplicationStatus.WAITLISTED
    page = applicant_client.get(response["Location"]).content.decode()
    assert "number 1" in page


def test_review_mode_submits_without_a_seat(
    applicant: Any, applicant_client: Client, session: Any
) -> None:
    session.booking_mode = BookingMode.REVIEW
    session.save()
    applicant_client.post(_apply_url(session), _form())
    assert Application.objects.get(applicant=applicant).status == ApplicationStatus.SUBMITTED
    assert any("Cardiology" in m.subject or m.to == [applicant.email] for m in mail.outbox)


def test_second_apply_redirects_to_the_existing_application(
    applicant: Any, applicant_client: Client, session: Any
) -> None:
    application = application_submit(actor=applicant, session=session, consent_share_documents=True)
    response = applicant_client.get(_apply_url(session))
    assert response.status_code == 302
    assert response["Location"] == reverse("rotations:application", args=[application.pk])


def test_closed_session_says_so(applicant_client: Client, session: Any) -> None:
    session.status = "closed"
    session.save()
    response = applicant_client.get(_apply_url(session))
    assert "not taking applications" in response.content.decode()
    response = applicant_client.post(_apply_url(session), _form())
    assert response.status_code == 422
    assert "not taking applications" in response.content.decode()


def test_unpublished_rotation_session_is_404(applicant_client: Client, session: Any) -> None:
    session.rotation.published = False
    session.rotation.save()
    assert applicant_client.get(_apply_url(session)).status_code == 404


def test_other_roles_cannot_apply(
    coordinator_client: Client, preceptor_client: Client, session: Any
) -> None:
    assert coordinator_client.get(_apply_url(session)).status_code == 403
    assert preceptor_client.post(_apply_url(session), _form()).status_code == 403


# --- application page and timeline ------------------------------------------------------


@pytest.fixture
def application(applicant: Any, session: Any) -> Application:
    return application_submit(actor=applicant, session=session, consent_share_documents=True)


def test_application_page_shows_timeline_and_requirements(
    applicant_client: Client, application: Application
) -> None:
    html = applicant_client.get(
        reverse("rotations:application", args=[application.pk])
    ).content.decode()
    assert "History" in html
    assert "by you" in html
    assert "Still needed to confirm" in html
    assert "Curriculum vitae" in html
    assert "Missing" in html
    assert "$500" in html  # deposit due
    assert reverse("documents:vault") in html
    assert "Add to calendar (.ics)" in html


def test_outsider_gets_404_on_someone_elses_application(
    outsider_client: Client, application: Application
) -> None:
    for name in ("application", "application-withdraw", "application-ics"):
        url = reverse(f"rotations:{name}", args=[application.pk])
        assert outsider_client.get(url).status_code == 404, name
    url = reverse("rotations:application-withdraw", args=[application.pk])
    assert outsider_client.post(url, {"reason": "x"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def test_withdraw_asks_then_withdraws_with_reason(
    applicant_client: Client, application: Application
) -> None:
    url = reverse("rotations:application-withdraw", args=[application.pk])
    page = applicant_client.get(url).content.decode()
    assert "Withdraw your application?" in page
    response = applicant_client.post(url, {"reason": "Visa appointment moved"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    html = applicant_client.get(response["Location"]).content.decode()
    assert "Visa appointment moved" in html
    # A second withdraw is a friendly no-op.
    response = applicant_client.post(url, {})
    assert response.status_code == 302


def test_application_list_and_empty_state(
    applicant_client: Client, outsider_client: Client, application: Application
) -> None:
    html = applicant_client.get(reverse("rotations:applications")).content.decode()
    assert "Cardiology Clerkship" in html
    empty = outsider_client.get(reverse("rotations:applications")).content.decode()
    assert "You have not applied to a rotation yet" in empty


def test_dashboard_panel_shows_live_applications(
    applicant_client: Client, application: Application, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(30):
        html = applicant_client.get("/dashboard/").content.decode()
    assert "Your rotations" in html
    assert "Cardiology Clerkship" in html
    assert "Seat held until" in html
    assert "Withdraw" in html


def test_applicant_overviews_query_count_is_constant(applicant: Any, reference_data: None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchway.rotations.selectors_pages import application_overviews

    counts = []
    for n in (1, 6):
        for _ in range(n):
            rotation = RotationFactory(required_document_types=[DocumentTypeFactory()])
            application_submit(
                actor=applicant,
                session=RotationSessionFactory(rotation=rotation),
                consent_share_documents=True,
            )
        with CaptureQueriesContext(connection) as ctx:
            overviews = application_overviews(user=applicant)
        counts.append(len(ctx.captured_queries))
        assert all(o.requirements is not None for o in overviews)
    assert counts[0] == counts[1]


# --- calendar -----------------------------------------------------------------------------


def test_application_ics_parses(applicant_client: Client, application: Application) -> None:
    response = applicant_client.get(reverse("rotations:application-ics", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    session = application.session
    assert str(event["SUMMARY"]) == "Cardiology Clerkship rotation"
    assert event.decoded("DTSTART") == session.start_date
    assert event.decoded("DTEND") == session.end_date + dt.timedelta(days=1)
    assert str(event["STATUS"]) == "TENTATIVE"  # a held seat, not yet confirmed
    assert "Brooklyn" in str(event["LOCATION"])


def test_ics_refused_for_submitted_applications(
    applicant: Any, applicant_client: Client, session: Any
) -> None:
    session.booking_mode = BookingMode.REVIEW
    session.save()
    application = application_submit(actor=applicant, session=session, consent_share_documents=True)
    url = reverse("rotations:application-ics", args=[application.pk])
    assert applicant_client.get(url).status_code == 404


def test_calendar_feed_create_use_regenerate_revoke(
    applicant: Any, applicant_client: Client, anonymous: Client, application: Application
) -> None:
    page = applicant_client.get(reverse("rotations:calendar")).content.decode()
    assert "Create my calendar link" in page
    response = applicant_client.post(reverse("rotations:calendar"))
    feed_url = response.context["new_url"]
    assert feed_url.endswith(".ics")
    path = feed_url.split("://", 1)[1].split("/", 1)[1]
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    # Only a digest is stored.
    feed = CalendarFeed.objects.get(user=applicant, revoked_at__isnull=True)
    assert token not in feed.token_digest
    served = anonymous.get("/" + path)
    assert served.status_code == 200
    events = Calendar.from_ical(served.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Cardiology Clerkship rotation"]
    # Regenerating kills the old URL.
    new_url = applicant_client.post(reverse("rotations:calendar")).context["new_url"]
    assert anonymous.get("/" + path).status_code == 404
    new_path = "/" + new_url.split("://", 1)[1].split("/", 1)[1]
    assert anonymous.get(new_path).status_code == 200
    # Revoking kills the new one too.
    applicant_client.post(reverse("rotations:calendar-revoke"))
    assert anonymous.get(new_path).status_code == 404
    assert not CalendarFeed.objects.filter(user=applicant, revoked_at__isnull=True).exists()


def test_feed_with_bogus_token_is_404(anonymous: Client, reference_data: None) -> None:
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404
    assert anonymous.get("/calendar/" + "a" * 300 + ".ics").status_code == 404


def test_feed_only_lists_booked_rotations(applicant: Any, reference_data: None) -> None:
    from matchway.rotations.services.calendar import calendar_feed_create

    raw, _feed = calendar_feed_create(actor=applicant)
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.CONFIRMED)
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.DECLINED)
    ApplicationFactory(status=ApplicationStatus.CONFIRMED)  # someone else's
    response = Client().get(reverse("calendar:feed", args=[raw]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["STATUS"]) == "CONFIRMED"


def test_times_follow_the_viewers_time_zone(reference_data: None) -> None:
    lagos = UserFactory(role="applicant", email="lagos@example.com", timezone="Africa/Lagos")
    session = RotationSessionFactory(booking_mode=BookingMode.INSTANT)
    application = application_submit(actor=lagos, session=session, consent_share_documents=True)
    client = Client()
    client.force_login(lagos)
    html = client.get(reverse("rotations:application", args=[application.pk])).content.decode()
    local = timezone.localtime(application.hold_expires_at, dt.timezone(dt.timedelta(hours=1)))
    assert local.strftime("%H:%M") in html
    assert "WAT" in html
