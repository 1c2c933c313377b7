"""Arrival logistics: the resolver, who sees it, emails, .ics, the reminder job, editing."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from matchway.accounts.models import User
from matchway.core.models import AuditEvent
from matchway.rotations.arrival import arrival_calendar_text, arrival_for
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    RotationArrival,
    RotationSession,
    SessionArrival,
)
from matchway.rotations.periodic import arrival_reminders_send
from matchway.rotations.services.applications_decide import application_confirm
from matchway.rotations.services.arrival import rotation_arrival_update, session_arrival_update

from .factories import ApplicationFactory, RotationSessionFactory

S = ApplicationStatus
UTC = dt.UTC
NY = ZoneInfo("America/New_York")
SECRET_STEPS = "Badge office B2 opens 07:00; EHR training module 4 before day one."


def _arrival(session: RotationSession, **overrides: Any) -> RotationArrival:
    values: dict[str, Any] = {
        "first_day_time": dt.time(8, 0),
        "meeting_place": "North Tower lobby, 2nd floor desk",
        "ask_for": "Dr. Lena Ortiz, chief resident",
        "dress_code": "Business casual; short white coat",
        "what_to_bring": "Passport, printed confirmation, stethoscope",
        "parking_transit": "Garage C on Elm St; subway line 4 to Riverside",
        "housing": "Riverside Suites offers a weekly rate",
        "site_contact": "Maya Chen, +1 718 555 0100",
        "access_steps": SECRET_STEPS,
    }
    values.update(overrides)
    return RotationArrival.objects.create(rotation=session.rotation, **values)


@pytest.fixture
def session(db: None) -> RotationSession:
    return RotationSessionFactory(start_date=dt.date(2027, 3, 15), end_date=dt.date(2027, 4, 9))


def _app(applicant: User, session: RotationSession, status: str = S.CONFIRMED) -> Application:
    return ApplicationFactory(applicant=applicant, session=session, status=status)


# --- resolver ---------------------------------------------------------------------------


def test_resolver_merges_session_overrides_field_by_field(session: RotationSession) -> None:
    _arrival(session)
    SessionArrival.objects.create(
        session=session, first_day_time=dt.time(9, 30), dress_code="Scrubs (OR week)"
    )
    arrival = arrival_for(RotationSession.objects.get(pk=session.pk))
    assert arrival.first_day_time == dt.time(9, 30)
    assert arrival.dress_code == "Scrubs (OR week)"
    assert arrival.meeting_place == "North Tower lobby, 2nd floor desk"  # inherited
    assert arrival.access_steps == SECRET_STEPS
    assert arrival.overridden == {"first_day_time", "dress_code"}


def test_resolver_without_rows_is_empty(session: RotationSession) -> None:
    arrival = arrival_for(session)
    assert arrival.is_empty
    assert arrival.first_day_at is None


def test_resolver_session_only(session: RotationSession) -> None:
    SessionArrival.objects.create(session=session, meeting_place="Clinic B entrance")
    arrival = arrival_for(session)
    assert arrival.meeting_place == "Clinic B entrance"
    assert arrival.ask_for == ""
    assert not arrival.is_empty


def test_first_day_time_is_site_local_and_shown_in_viewer_zone(session: RotationSession) -> None:
    # March 15, 2027: New York is on daylight time (UTC-4) since March 14.
    _arrival(session)
    arrival = arrival_for(session)
    assert arrival.first_day_at == dt.datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
    site, viewer = arrival.first_day_labels("Asia/Kolkata")
    # `|when`'s format; the year shows unless it is the current one.
    assert site.replace(" 2027", "") == "Mon 15 Mar, 08:00 EDT"
    assert viewer.replace(" 2027", "") == "Mon 15 Mar, 17:30 IST"
    assert arrival.first_day_labels("America/New_York") == (site, "")


# --- visibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.CONFIRMED, S.IN_PROGRESS])
def test_owner_sees_arrival_once_confirmed(
    applicant_client: Any, applicant: User, session: RotationSession, status: str
) -> None:
    _arrival(session)
    application = _app(applicant, session, status)
    page = applicant_client.get(reverse("rotations:application", args=[application.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Your first day" in body
    assert SECRET_STEPS in body
    assert "Dr. Lena Ortiz" in body
    assert "08:00 EDT" in body


@pytest.mark.parametrize("status", [S.SUBMITTED, S.WAITLISTED, S.ACCEPTED])
def test_before_confirmation_only_a_note(
    applicant_client: Any, applicant: User, session: RotationSession, status: str
) -> None:
    _arrival(session)
    application = _app(applicant, session, status)
    body = applicant_client.get(
        reverse("rotations:application", args=[application.pk])
    ).content.decode()
    assert "Arrival details appear here once your seat is confirmed." in body
    assert SECRET_STEPS not in body
    assert "North Tower lobby" not in body


def test_closed_application_shows_no_arrival(
    applicant_client: Any, applicant: User, session: RotationSession
) -> None:
    _arrival(session)
    application = _app(applicant, session, S.WITHDRAWN)
    body = applicant_client.get(
        reverse("rotations:application", args=[application.pk])
    ).content.decode()
    assert SECRET_STEPS not in body
    assert "once your seat is confirmed" not in body


def test_other_applicant_anonymous_and_public_page_never_see_it(
    outsider_client: Any, anonymous: Any, applicant: User, session: RotationSession
) -> None:
    _arrival(session)
    application = _app(applicant, session)
    url = reverse("rotations:application", args=[application.pk])
    assert outsider_client.get(url).status_code == 404
    ics = reverse("rotations:application-ics", args=[application.pk])
    assert outsider_client.get(ics).status_code == 404
    response = anonymous.get(url)
    assert response.status_code == 302
    session.rotation.published = True
    session.rotation.save()
    public = anonymous.get(session.rotation.get_absolute_url()).content.decode()
    assert SECRET_STEPS not in public
    assert "Dr. Lena Ortiz" not in public


def test_viewer_zone_shown_when_it_differs(
    kolkata_client: Any, kolkata_applicant: User, session: RotationSession
) -> None:
    _arrival(session)
    application = _app(kolkata_applicant, session)
    body = kolkata_client.get(
        reverse("rotations:application", args=[application.pk])
    ).content.decode()
    assert "08:00 EDT" in body
    assert "17:30 IST in your time zone" in body


# --- emails ---------------------------------------------------------------------------


def test_confirmation_email_carries_arrival(
    coordinator: User,
    applicant: User,
    session: RotationSession,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _arrival(session)
    accepted = _app(applicant, session, S.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        application_confirm(actor=coordinator, application=accepted, override_reason="Test")
    mail = mailoutbox[-1]
    assert mail.to == [applicant.email]
    assert "Your first day" in mail.body
    assert "Where: North Tower lobby, 2nd floor desk" in mail.body
    assert SECRET_STEPS in mail.body
    assert "08:00 EDT" in mail.body
    assert f"/rotations/applications/{accepted.pk}/" in mail.body
    html = mail.alternatives[0][0]
    assert "Dr. Lena Ortiz, chief resident" in html
    assert "Badge and EHR access" in html


def test_confirmation_email_without_arrival_says_so(
    coordinator: User,
    applicant: User,
    session: RotationSession,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    accepted = _app(applicant, session, S.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        application_confirm(actor=coordinator, application=accepted, override_reason="Test")
    assert "has not posted first-day details yet" in mailoutbox[-1].body


# --- .ics ---------------------------------------------------------------------------


def _events(body: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_ics_has_location_description_and_first_day_event(
    applicant_client: Any, applicant: User, session: RotationSession
) -> None:
    _arrival(session, dress_code="Business casual; white coat, name badge\nNo open shoes")
    application = _app(applicant, session)
    response = applicant_client.get(reverse("rotations:application-ics", args=[application.pk]))
    raw = response.content
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75  # folded (RFC 5545 3.1)
    # RFC 5545 3.3.11: ; , and newlines escaped in TEXT values.
    assert b"Business casual\\; white coat\\, name badge\\nNo open shoes" in raw.replace(
        b"\r\n ", b""
    )
    events = _events(raw)
    span = next(e for uid, e in events.items() if "-arrival@" not in uid)
    first = next(e for uid, e in events.items() if "-arrival@" in uid)
    assert str(span["location"]).startswith("North Tower lobby, 2nd floor desk, ")
    description = str(span["description"])
    assert "Ask for: Dr. Lena Ortiz, chief resident" in description
    assert "No open shoes" in description
    # Badge/EHR steps stay on the application page, out of third-party calendars.
    assert SECRET_STEPS not in description
    assert "see your application page" in description
    assert span.decoded("dtstart") == dt.date(2027, 3, 15)
    assert first.decoded("dtstart") == dt.datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
    assert first.decoded("dtend") == dt.datetime(2027, 3, 15, 13, 0, tzinfo=UTC)


def test_ics_for_held_seat_has_no_arrival(
    applicant_client: Any, applicant: User, session: RotationSession
) -> None:
    _arrival(session)
    application = _app(applicant, session, S.ACCEPTED)
    raw = applicant_client.get(reverse("rotations:application-ics", args=[application.pk])).content
    events = _events(raw)
    assert len(events) == 1
    assert b"North Tower" not in raw


def test_private_feed_includes_arrival(
    applicant_client: Any, applicant: User, session: RotationSession
) -> None:
    from matchway.rotations.services.calendar import calendar_feed_create

    _arrival(session)
    _app(applicant, session)
    raw_token, _feed = calendar_feed_create(actor=applicant)
    raw = applicant_client.get(reverse("calendar:feed", args=[raw_token])).content
    events = _events(raw)
    assert len(events) == 2
    assert any("North Tower" in str(e.get("location", "")) for e in events.values())


def test_calendar_text_plain(session: RotationSession) -> None:
    _arrival(session, housing="")
    text = arrival_calendar_text(arrival_for(session), page_url="https://x.test/a/1/")
    assert "First day: Mon 15 Mar" in text and "08:00 EDT" in text
    assert "Housing" not in text
    assert text.endswith("https://x.test/a/1/")


# --- reminder job ---------------------------------------------------------------------------


def _confirmed(applicant: User, session: RotationSession, confirmed_at: dt.datetime) -> Application:
    application = _app(applicant, session)
    Application.objects.filter(pk=application.pk).update(confirmed_at=confirmed_at)
    return application


def _run(at: dt.datetime, capture: Any) -> int:
    with capture(execute=True):
        return arrival_reminders_send(now=at)


def test_reminder_sent_once_at_new_york_midnight(
    applicant: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    # Start Sunday Dec 13, 2026 in New York: due from Sunday Dec 6, 00:00 EST (05:00 UTC).
    session = RotationSessionFactory(start_date=dt.date(2026, 12, 13), end_date=dt.date(2027, 1, 8))
    _arrival(session)
    application = _confirmed(applicant, session, dt.datetime(2026, 11, 1, tzinfo=UTC))
    capture = django_capture_on_commit_callbacks
    assert _run(dt.datetime(2026, 12, 6, 4, 59, tzinfo=UTC), capture) == 0
    assert mailoutbox == []
    assert _run(dt.datetime(2026, 12, 6, 5, 0, tzinfo=UTC), capture) == 1
    assert _run(dt.datetime(2026, 12, 6, 5, 1, tzinfo=UTC), capture) == 0
    assert _run(dt.datetime(2026, 12, 9, 12, 0, tzinfo=UTC), capture) == 0
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "One week to go" in mail.subject
    assert SECRET_STEPS in mail.body
    application.refresh_from_db()
    assert application.arrival_reminder_sent_at == dt.datetime(2026, 12, 6, 5, 0, tzinfo=UTC)


def test_reminder_uses_the_site_date_not_new_york(
    applicant: User, la_site: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    session = RotationSessionFactory(
        rotation__site=la_site, start_date=dt.date(2026, 12, 13), end_date=dt.date(2027, 1, 8)
    )
    _confirmed(applicant, session, dt.datetime(2026, 11, 1, tzinfo=UTC))
    capture = django_capture_on_commit_callbacks
    # 00:30 in New York, still Saturday 21:30 in Los Angeles.
    assert _run(dt.datetime(2026, 12, 6, 5, 30, tzinfo=UTC), capture) == 0
    # Midnight in Los Angeles (08:00 UTC).
    assert _run(dt.datetime(2026, 12, 6, 8, 0, tzinfo=UTC), capture) == 1
    assert len(mailoutbox) == 1


def test_reminder_across_the_dst_change(
    applicant: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    # Due Sunday March 14, 2027, the day New York moves to daylight time (02:00 → 03:00).
    session = RotationSessionFactory(start_date=dt.date(2027, 3, 21), end_date=dt.date(2027, 4, 16))
    _confirmed(applicant, session, dt.datetime(2027, 2, 1, tzinfo=UTC))
    capture = django_capture_on_commit_callbacks
    assert _run(dt.datetime(2027, 3, 14, 4, 59, tzinfo=UTC), capture) == 0  # Mar 13 23:59 EST
    assert _run(dt.datetime(2027, 3, 14, 7, 30, tzinfo=UTC), capture) == 1  # Mar 14 03:30 EDT
    assert len(mailoutbox) == 1


def test_no_reminder_when_confirmed_within_the_week_or_not_confirmed(
    applicant: User,
    outsider: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = RotationSessionFactory(start_date=dt.date(2026, 12, 13), end_date=dt.date(2027, 1, 8))
    # Confirmed on the due day: the confirmation email already had the details.
    _confirmed(applicant, session, dt.datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
    _app(outsider, session, S.ACCEPTED)
    at = dt.datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert _run(at, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_reminder_job_is_registered() -> None:
    from matchway.rotations.periodic import JOBS

    assert arrival_reminders_send in JOBS


# --- coordinator editing ------------------------------------------------------------------


def test_coordinator_edits_rotation_arrival_audited(
    coordinator_client: Any, session: RotationSession
) -> None:
    rotation = session.rotation
    url = reverse("rotations:manage-rotation-arrival", args=[rotation.pk])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert "First-day details" in page.content.decode()
    response = coordinator_client.post(
        url,
        {"first_day_time": "07:45", "meeting_place": "Main entrance", "access_steps": "Badge"},
    )
    assert response.status_code == 302
    row = RotationArrival.objects.get(rotation=rotation)
    assert row.first_day_time == dt.time(7, 45)
    event = AuditEvent.objects.get(action="rotation.arrival_updated")
    assert sorted(event.data["fields"]) == ["access_steps", "first_day_time", "meeting_place"]
    assert "Badge" not in str(event.data)  # names only, no text in the audit log
    manage = coordinator_client.get(reverse("rotations:manage-rotation", args=[rotation.pk]))
    assert "Main entrance" in manage.content.decode()


def test_rotation_arrival_form_errors_keep_input(
    coordinator_client: Any, session: RotationSession
) -> None:
    url = reverse("rotations:manage-rotation-arrival", args=[session.rotation.pk])
    response = coordinator_client.post(
        url, {"first_day_time": "25:99", "meeting_place": "Lobby\nB", "ask_for": "Dr. Ortiz"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Dr. Ortiz" in body
    assert not RotationArrival.objects.exists()


def test_coordinator_overrides_session_and_clears(
    coordinator_client: Any, session: RotationSession
) -> None:
    _arrival(session)
    url = reverse("rotations:manage-session-arrival", args=[session.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'placeholder="North Tower lobby, 2nd floor desk"' in page
    response = coordinator_client.post(url, {"meeting_place": "ER entrance, Gate 3"})
    assert response.status_code == 302
    assert arrival_for(RotationSession.objects.get(pk=session.pk)).meeting_place == (
        "ER entrance, Gate 3"
    )
    assert AuditEvent.objects.filter(action="session.arrival_updated").count() == 1
    manage = coordinator_client.get(reverse("rotations:manage-session", args=[session.pk]))
    assert "This session changes 1 field." in manage.content.decode()
    coordinator_client.post(url, {"meeting_place": ""})
    assert not SessionArrival.objects.exists()
    assert arrival_for(RotationSession.objects.get(pk=session.pk)).meeting_place.startswith(
        "North Tower"
    )


def test_only_coordinators_may_write(applicant: User, session: RotationSession) -> None:
    from matchway.core.exceptions import AccessDenied

    with pytest.raises(AccessDenied):
        rotation_arrival_update(actor=applicant, rotation=session.rotation, meeting_place="x")
    with pytest.raises(AccessDenied):
        session_arrival_update(actor=applicant, session=session, meeting_place="x")
