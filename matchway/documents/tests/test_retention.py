"""Retention of identity documents (docs/dev/privacy.md, "Retention"): notice 30 days ahead,
erasure on the date, never while an application is active, from the upload date for people
who never rotated, and the dates on the vault page in the viewer's zone.

Every test pins the instant (time-machine) before it creates rows, because the rule counts
days from upload and rotation dates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent
from matchway.documents.models import Document, DocumentStatus, DocumentType
from matchway.documents.services import documents_apply_retention
from matchway.documents.tests.factories import upload_document
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

# The erasure takes the owner's row lock and every step is compare-and-set: both databases.
pytestmark = pytest.mark.postgres

UTC = dt.UTC
PASSPORT_EXPIRY = dt.date(2035, 1, 1)
VAULT = reverse("documents:vault")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def run(
    time_machine: time_machine.TimeMachineFixture,
    django_capture_on_commit_callbacks: Any,
) -> Callable[[dt.datetime], dict[str, int]]:
    """Move to an instant and run the job as `run_periodic` would (committing)."""

    def _run(instant: dt.datetime) -> dict[str, int]:
        time_machine.move_to(instant, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            return documents_apply_retention()

    return _run


def _passport(owner: Any) -> Document:
    return upload_document(owner, "passport", name="alice-passport.pdf", expires_on=PASSPORT_EXPIRY)


def _completed_rotation(applicant: Any, *, end: dt.date, site: Any = None) -> Any:
    extra = {"rotation__site": site} if site is not None else {}
    session = RotationSessionFactory(start_date=end - dt.timedelta(days=27), end_date=end, **extra)
    return ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.COMPLETED
    )


def _first_between(
    run: Callable[[dt.datetime], dict[str, int]], step: str, before: str, after: str
) -> None:
    """The job takes `step` ("notices" or "erased") for the first time between two instants:
    not in a run at `before`, once in a run at `after`."""
    assert run(at(before))[step] == 0
    assert run(at(after))[step] == 1


def _assert_erased(document: Document) -> None:
    document.refresh_from_db()
    assert document.status == DocumentStatus.ERASED


def _stored(document: Document, settings: Any) -> bool:
    return (Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name).is_file()


def _files_of(owner: Any, settings: Any) -> set[str]:
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "documents" / str(owner.pk)
    return {p.name for p in folder.iterdir() if p.is_file()} if folder.exists() else set()


# --- setting ---------------------------------------------------------------------------


def test_default_period_is_365_days(settings: Any) -> None:
    from config.settings import base

    assert base.RETENTION_IDENTITY_DOCUMENTS_DAYS == 365
    assert settings.RETENTION_IDENTITY_DOCUMENTS_DAYS == 365


@pytest.mark.parametrize(
    ("raw", "expected"), [("", 365), ("  ", 365), ("0", 0), ("90", 90), ("730", 730)]
)
def test_setting_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: int
) -> None:
    from config.settings import base

    monkeypatch.setenv("RETENTION_IDENTITY_DOCUMENTS_DAYS", raw)
    assert base._retention_days("RETENTION_IDENTITY_DOCUMENTS_DAYS", 365) == expected


@pytest.mark.parametrize("raw", ["-1", "a year", "12.5"])
def test_setting_refuses_nonsense(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    from config.settings import base

    monkeypatch.setenv("RETENTION_IDENTITY_DOCUMENTS_DAYS", raw)
    with pytest.raises(ImproperlyConfigured):
        base._retention_days("RETENTION_IDENTITY_DOCUMENTS_DAYS", 365)


def test_identity_types_are_marked(reference_data: None) -> None:
    identity = set(DocumentType.objects.filter(is_identity=True).values_list("code", flat=True))
    assert identity == {"passport", "visa_or_i94"}


# --- the rule --------------------------------------------------------------------------


def test_notice_once_then_erasure_a_year_after_the_last_rotation(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    mailoutbox: list[Any],
    settings: Any,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    passport = _passport(applicant)
    cv = upload_document(applicant, "cv")
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))
    assert _stored(passport, settings)

    # Erasure date: 2027-03-31 (New York). The notice goes out from 2027-03-01.
    stored_passport = Path(passport.file.name).name
    assert stored_passport in _files_of(applicant, settings)
    assert run(at("2027-03-01T04:59:00")) == {"notices": 0, "erased": 0, "withdrawn": 0}
    assert run(at("2027-03-01T14:00:00")) == {"notices": 1, "erased": 0, "withdrawn": 0}
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [applicant.email]
    assert "March 31, 2027" in mail.subject
    assert "Passport (photo page): on March 31, 2027" in mail.body
    assert "upload a current copy" in mail.body

    # Sent once: later runs in the window send nothing more.
    assert run(at("2027-03-01T14:05:00"))["notices"] == 0
    assert run(at("2027-03-20T14:00:00"))["notices"] == 0
    assert run(at("2027-03-31T03:59:00"))["erased"] == 0  # still Mar 30 in New York
    assert len(mailoutbox) == 1
    assert _stored(passport, settings)

    assert run(at("2027-03-31T04:00:00")) == {"notices": 0, "erased": 1, "withdrawn": 0}
    passport.refresh_from_db()
    assert passport.status == DocumentStatus.ERASED
    assert passport.erased_at == at("2027-03-31T04:00:00")
    assert not passport.file
    assert passport.original_name == ""
    assert passport.expires_on is None
    assert passport.is_current  # the vault and checklists say "erased, upload again"
    assert _files_of(applicant, settings) == {Path(cv.file.name).name}  # the file is gone

    # Idempotent; and the CV is not an identity document.
    assert run(at("2027-03-31T05:00:00")) == {"notices": 0, "erased": 0, "withdrawn": 0}
    assert run(at("2029-01-01T12:00:00")) == {"notices": 0, "erased": 0, "withdrawn": 0}
    cv.refresh_from_db()
    assert cv.status == DocumentStatus.UPLOADED
    assert _stored(cv, settings)
    assert len(mailoutbox) == 1


def test_erasure_is_audited_without_personal_data(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    passport = _passport(applicant)
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))
    run(at("2027-03-05T12:00:00"))  # a late notice promises 30 days: April 4
    run(at("2027-04-04T12:00:00"))

    events = list(
        AuditEvent.objects.filter(action="document.erased_by_retention", target_id=str(passport.pk))
    )
    assert len(events) == 1
    event = events[0]
    assert event.actor is None
    assert event.data == {
        "type": "passport",
        "current": True,
        "measured_from": "last_rotation",
        "retention_days": 365,
    }
    text = json.dumps(event.data) + event.target_label
    for secret in ("alice", applicant.email, passport.sha256, "2035"):
        assert secret not in text.lower()
    assert AuditEvent.objects.filter(
        action="document.retention_noticed", target_id=str(passport.pk)
    ).exists()


def test_old_versions_are_erased_too(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    mailoutbox: list[Any],
    settings: Any,
) -> None:
    time_machine.move_to(at("2026-01-10T15:00:00"), tick=False)
    old = _passport(applicant)
    time_machine.move_to(at("2026-01-12T15:00:00"), tick=False)
    new = _passport(applicant)
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))
    assert run(at("2027-03-02T12:00:00"))["notices"] == 1
    assert len(mailoutbox) == 1  # one email for both versions
    assert mailoutbox[0].body.count("Passport (photo page)") == 1
    assert run(at("2027-04-01T12:00:00"))["erased"] == 2
    for document in (old, new):
        _assert_erased(document)
    assert _files_of(applicant, settings) == set()


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.IN_PROGRESS,
    ],
)
def test_kept_while_an_application_is_active(
    status: str,
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    mailoutbox: list[Any],
    settings: Any,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    passport = _passport(applicant)
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))
    session = RotationSessionFactory(start_date=dt.date(2026, 5, 4), end_date=dt.date(2026, 5, 29))
    ApplicationFactory(applicant=applicant, session=session, status=status)

    for instant in ("2027-03-05T12:00:00", "2027-04-05T12:00:00", "2028-06-01T12:00:00"):
        assert run(at(instant)) == {"notices": 0, "erased": 0, "withdrawn": 0}
    passport.refresh_from_db()
    assert passport.status == DocumentStatus.UPLOADED
    assert _stored(passport, settings)
    assert mailoutbox == []


def test_a_completed_rotation_not_over_yet_keeps_them(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    settings: Any,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    _passport(applicant)
    # A rotation ending in the future (marked completed early) is still "upcoming".
    _completed_rotation(applicant, end=dt.date(2027, 6, 30))
    settings.RETENTION_IDENTITY_DOCUMENTS_DAYS = 30
    assert run(at("2027-03-05T12:00:00")) == {"notices": 0, "erased": 0, "withdrawn": 0}


def test_booking_again_after_the_notice_withdraws_it(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    mailoutbox: list[Any],
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    passport = _passport(applicant)
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))
    assert run(at("2027-03-05T12:00:00"))["notices"] == 1
    session = RotationSessionFactory(start_date=dt.date(2027, 5, 3), end_date=dt.date(2027, 5, 28))
    application = ApplicationFactory(applicant=applicant, session=session)
    assert run(at("2027-03-10T12:00:00")) == {"notices": 0, "erased": 0, "withdrawn": 1}
    assert run(at("2027-04-01T12:00:00"))["erased"] == 0
    passport.refresh_from_db()
    assert passport.status == DocumentStatus.UPLOADED
    assert passport.retention_notice_sent_at is None

    # Declined: the last rotation is still the 2026 one, so a fresh notice goes out at once,
    # promising the full 30 days.
    application.status = ApplicationStatus.DECLINED
    application.save()
    assert run(at("2027-04-02T12:00:00"))["notices"] == 1
    assert "May 2, 2027" in mailoutbox[-1].body
    _first_between(run, "erased", "2027-05-01T12:00:00", "2027-05-02T12:00:00")


def test_never_rotated_counts_from_the_upload_date(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    mailoutbox: list[Any],
) -> None:
    time_machine.move_to(at("2026-02-10T15:00:00"), tick=False)
    passport = _passport(applicant)
    # An application that never became a rotation does not count.
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.WITHDRAWN)

    # Erasure 2027-02-10: on 2027-01-10 it is still 31 days away.
    _first_between(run, "notices", "2027-01-10T12:00:00", "2027-01-11T12:00:00")
    assert "February 10, 2027" in mailoutbox[0].body
    _first_between(run, "erased", "2027-02-09T12:00:00", "2027-02-10T12:00:00")
    _assert_erased(passport)


def test_upload_after_the_last_rotation_counts_from_the_upload(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    _completed_rotation(applicant, end=dt.date(2026, 1, 30))
    time_machine.move_to(at("2026-06-01T15:00:00"), tick=False)
    passport = _passport(applicant)
    assert run(at("2027-02-15T12:00:00"))["notices"] == 0
    _first_between(run, "notices", "2027-05-01T12:00:00", "2027-05-02T12:00:00")
    assert run(at("2027-06-01T12:00:00"))["erased"] == 1
    _assert_erased(passport)


def test_other_documents_are_untouched(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    settings: Any,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    cv = upload_document(applicant, "cv")
    step1 = upload_document(applicant, "usmle_step1")
    visa = upload_document(applicant, "visa_or_i94", expires_on=PASSPORT_EXPIRY)
    run(at("2027-01-01T12:00:00"))
    assert run(at("2027-02-01T12:00:00"))["erased"] == 1
    for document in (cv, step1):
        document.refresh_from_db()
        assert document.status == DocumentStatus.UPLOADED
        assert _stored(document, settings)
    _assert_erased(visa)


def test_setting_change_is_respected(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    settings: Any,
    mailoutbox: list[Any],
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    passport = _passport(applicant)
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))

    settings.RETENTION_IDENTITY_DOCUMENTS_DAYS = 0  # never
    assert run(at("2030-01-01T12:00:00")) == {"notices": 0, "erased": 0, "withdrawn": 0}

    settings.RETENTION_IDENTITY_DOCUMENTS_DAYS = 90  # erasure 2026-06-29, notice from 05-30
    _first_between(run, "notices", "2026-05-29T12:00:00", "2026-05-30T12:00:00")
    assert "June 29, 2026" in mailoutbox[0].body

    # A longer period after the notice withdraws it; nothing is erased on the old date.
    settings.RETENTION_IDENTITY_DOCUMENTS_DAYS = 365
    assert run(at("2026-06-29T12:00:00")) == {"notices": 0, "erased": 0, "withdrawn": 1}
    passport.refresh_from_db()
    assert passport.status == DocumentStatus.UPLOADED


def test_a_shorter_period_still_gives_thirty_days_notice(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    mailoutbox: list[Any],
    settings: Any,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    _passport(applicant)
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))
    settings.RETENTION_IDENTITY_DOCUMENTS_DAYS = 30  # already past: 2026-04-30
    assert run(at("2026-09-01T12:00:00")) == {"notices": 1, "erased": 0, "withdrawn": 0}
    assert "October 1, 2026" in mailoutbox[0].body
    _first_between(run, "erased", "2026-09-30T12:00:00", "2026-10-01T12:00:00")


# --- around midnight and daylight-saving changes in New York ----------------------------


def test_upload_date_is_new_yorks_date_near_midnight(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    # 23:30 on Nov 30 in New York is already Dec 1 in UTC: the upload date is Nov 30.
    time_machine.move_to(at("2026-12-01T04:30:00"), tick=False)
    passport = _passport(applicant)
    run(at("2027-10-31T12:00:00"))  # notice (erasure 2027-11-30)
    # Nov 29, 23:59:59 EST, then Nov 30, 00:00 EST.
    _first_between(run, "erased", "2027-11-30T04:59:59", "2027-11-30T05:00:00")
    _assert_erased(passport)


def test_erasure_day_begins_at_new_york_midnight_across_dst(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
    mailoutbox: list[Any],
) -> None:
    # Uploaded 01:30 EST on 2026-03-08, the night clocks go forward; erasure 2027-03-08.
    time_machine.move_to(at("2026-03-08T06:30:00"), tick=False)
    passport = _passport(applicant)
    # The notice day (2027-02-06) begins at 05:00 UTC (EST).
    _first_between(run, "notices", "2027-02-06T04:59:00", "2027-02-06T05:00:00")
    assert "March 8, 2027" in mailoutbox[0].body
    _first_between(run, "erased", "2027-03-08T04:59:59", "2027-03-08T05:00:00")
    _assert_erased(passport)


def test_erasure_in_daylight_time_begins_at_04_utc(
    applicant: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    # Uploaded 2026-03-15 (the day after 2027's change): erasure 2027-03-15, in EDT.
    time_machine.move_to(at("2026-03-15T14:00:00"), tick=False)
    _passport(applicant)
    run(at("2027-02-13T12:00:00"))  # the notice, 30 days ahead
    # 2027-03-14 is the change itself; 03:59 UTC on the 15th is still the 14th in New York.
    _first_between(run, "erased", "2027-03-15T03:59:59", "2027-03-15T04:00:00")


# --- what people see ---------------------------------------------------------------------


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("America/New_York", "Mar 31, 2027"),
        ("Asia/Kolkata", "Mar 31, 2027"),
        # Erasure may start at 00:00 in New York, which is 21:00 the evening before in LA.
        ("America/Los_Angeles", "Mar 30, 2027"),
    ],
)
def test_vault_shows_the_erasure_date_in_the_viewers_zone(
    zone: str,
    shown: str,
    reference_data: None,
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    person = UserFactory(role="applicant", timezone=zone)
    _passport(person)
    upload_document(person, "cv")
    _completed_rotation(person, end=dt.date(2026, 3, 31))
    time_machine.move_to(at("2026-11-02T12:00:00"), tick=False)
    html = _login(person).get(VAULT).content.decode()
    assert "under our retention rule we will erase this copy on" in html
    day = "2027-03-31" if shown.startswith("Mar 31") else "2027-03-30"
    assert f'datetime="{day}"' in html
    assert shown in html
    assert html.count("data-retention") == 1  # the passport only, not the CV


def test_vault_says_kept_while_an_application_is_open(
    applicant: Any,
    applicant_client: Client,
    reference_data: None,
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    _passport(applicant)
    ApplicationFactory(applicant=applicant)
    html = applicant_client.get(VAULT).content.decode()
    assert "we keep it while you have an application open" in html
    assert "365 days after your last rotation ends" in html


def test_vault_says_nothing_when_the_rule_is_off(
    applicant: Any,
    applicant_client: Client,
    reference_data: None,
    settings: Any,
) -> None:
    settings.RETENTION_IDENTITY_DOCUMENTS_DAYS = 0
    _passport(applicant)
    assert "data-retention" not in applicant_client.get(VAULT).content.decode()


def test_erased_document_pages_ask_for_a_new_upload_and_never_fail(
    applicant: Any,
    coordinator: Any,
    reference_data: None,
    run: Callable[[dt.datetime], dict[str, int]],
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(at("2026-01-15T15:00:00"), tick=False)
    passport = _passport(applicant)
    _completed_rotation(applicant, end=dt.date(2026, 3, 31))
    run(at("2027-03-05T12:00:00"))
    run(at("2027-04-05T12:00:00"))
    _assert_erased(passport)
    # Logged in now: a session from a year ago has expired.
    applicant_client, coordinator_client = _login(applicant), _login(coordinator)

    vault = applicant_client.get(VAULT)
    assert vault.status_code == 200
    assert "Erased — upload again" in vault.content.decode()
    assert "We erased this copy on Apr 5, 2027" in vault.content.decode()
    history = applicant_client.get(reverse("documents:history", args=["passport"]))
    assert history.status_code == 200
    assert "File erased on" in history.content.decode()
    for client in (applicant_client, coordinator_client):
        assert client.get(reverse("documents:download", args=[passport.pk])).status_code == 404
    assert coordinator_client.get(reverse("documents:review") + "?status=all").status_code == 200

    # Booking again: the checklist on the rotation page and the application say so.
    passport_type = DocumentType.objects.get(code="passport")
    rotation = RotationFactory(required_document_types=[passport_type])
    session = RotationSessionFactory(
        rotation=rotation, start_date=dt.date(2027, 6, 7), end_date=dt.date(2027, 7, 2)
    )
    application = ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.ACCEPTED
    )
    detail = applicant_client.get(reverse("rotations:detail", args=[rotation.slug]))
    assert detail.status_code == 200
    assert "upload it again" in detail.content.decode()
    page = applicant_client.get(reverse("rotations:application", args=[application.pk]))
    assert page.status_code == 200
    assert "upload it again" in page.content.decode()
    review = coordinator_client.get(reverse("rotations:review", args=[application.pk]))
    assert review.status_code == 200

    # A new upload replaces the erased row as the current version.
    fresh = _passport(applicant)
    assert fresh.is_current
    passport.refresh_from_db()
    assert not passport.is_current
