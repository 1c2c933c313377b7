from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.documents import periodic, services
from matchway.documents.models import Document, DocumentStatus
from matchway.documents.services import (
    document_reject,
    document_upload,
    document_verify,
    documents_apply_retention,
    documents_mark_expired,
    documents_send_expiry_reminders,
)
from matchway.documents.services import documents as document_services

from . import samples
from .factories import upload_document

# Uploads lock the owner row and the jobs use compare-and-set: run on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Capture = Callable[..., Any]


@pytest.fixture
def today() -> Any:
    return timezone.localdate()


# --- Upload -------------------------------------------------------------------------------


def test_upload_makes_the_new_version_current_and_keeps_the_old_one(
    applicant: Any, reference_data: None
) -> None:
    first = upload_document(applicant, "cv", name="cv-2024.pdf")
    second = upload_document(applicant, "cv", name="cv-2025.pdf")
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert second.status == DocumentStatus.UPLOADED
    assert first.file.storage.exists(first.file.name), "old versions are kept"
    assert Document.objects.filter(owner=applicant, type="cv").count() == 2


def test_upload_is_audited_with_the_file_facts(applicant: Any, reference_data: None) -> None:
    first = upload_document(applicant, "cv")
    second = upload_document(applicant, "cv")
    event = AuditEvent.objects.get(action="document.uploaded", target_id=str(second.pk))
    assert event.actor == applicant
    assert event.data["sha256"] == second.sha256
    assert event.data["replaces"] == first.pk
    assert event.target_type == "documents.document"


def test_upload_re_reviews_a_verified_document(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    first = upload_document(applicant, "cv")
    document_verify(actor=coordinator, document=first)
    second = upload_document(applicant, "cv")
    assert second.status == DocumentStatus.UPLOADED
    first.refresh_from_db()
    assert first.status == DocumentStatus.VERIFIED
    assert not first.is_current


@pytest.mark.parametrize("who", ["outsider", "coordinator", "preceptor"])
def test_only_the_owner_applicant_can_upload(
    who: str, request: pytest.FixtureRequest, applicant: Any, reference_data: None
) -> None:
    actor = request.getfixturevalue(who)
    owner = applicant if who == "outsider" else actor
    with pytest.raises(AccessDenied):
        document_upload(
            actor=actor,
            owner=owner,
            type_code="cv",
            file=io.BytesIO(samples.make_pdf()),
            original_name="cv.pdf",
        )
    assert not Document.objects.exists()


def test_unknown_type_is_a_validation_error(applicant: Any, reference_data: None) -> None:
    with pytest.raises(ValidationFailed) as caught:
        upload_document(applicant, "not_a_type")
    assert caught.value.errors == {"type": ["Choose a document type from the list."]}


def test_expiring_type_needs_an_expiry_date(
    applicant: Any, reference_data: None, stored_files: Callable[[], set[str]]
) -> None:
    before = stored_files()
    with pytest.raises(ValidationFailed) as caught:
        upload_document(applicant, "passport")
    assert "expires_on" in caught.value.errors
    assert stored_files() == before
    assert not Document.objects.exists()


def test_expiry_in_the_past_is_refused(applicant: Any, reference_data: None, today: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        upload_document(applicant, "passport", expires_on=today - timedelta(days=1))
    assert caught.value.errors["expires_on"] == [str(services.MSG_ALREADY_EXPIRED)]


def test_expiry_today_is_still_valid(applicant: Any, reference_data: None, today: Any) -> None:
    document = upload_document(applicant, "passport", expires_on=today)
    assert document.expires_on == today


def test_valid_for_days_computes_expiry_from_the_issue_date(
    applicant: Any, reference_data: None, today: Any
) -> None:
    issued = today - timedelta(days=10)
    document = upload_document(applicant, "tb_test", issued_on=issued)
    assert document.issued_on == issued
    assert document.expires_on == issued + timedelta(days=365)


def test_valid_for_days_keeps_an_earlier_printed_expiry(
    applicant: Any, reference_data: None, today: Any
) -> None:
    issued = today - timedelta(days=10)
    document = upload_document(
        applicant, "tb_test", issued_on=issued, expires_on=today + timedelta(days=30)
    )
    assert document.expires_on == today + timedelta(days=30)


def test_valid_for_days_refuses_a_document_that_is_too_old(
    applicant: Any, reference_data: None, today: Any
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        upload_document(applicant, "drug_screen", issued_on=today - timedelta(days=91))
    assert "only good for 90 days" in caught.value.errors["issued_on"][0]


def test_issue_date_in_the_future_is_refused(
    applicant: Any, reference_data: None, today: Any
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        upload_document(applicant, "tb_test", issued_on=today + timedelta(days=1))
    assert caught.value.errors["issued_on"] == [str(services.MSG_ISSUED_IN_FUTURE)]


def test_a_failure_while_saving_keeps_the_previous_version_and_removes_the_file(
    applicant: Any,
    reference_data: None,
    stored_files: Callable[[], set[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = upload_document(applicant, "cv")
    before = stored_files()

    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("audit store is down")

    monkeypatch.setattr(document_services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        upload_document(applicant, "cv")
    previous.refresh_from_db()
    assert previous.is_current
    assert Document.objects.count() == 1
    assert stored_files() == before


# --- Review -------------------------------------------------------------------------------


def test_verify_marks_it_verified_and_audits(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    document = document_verify(actor=coordinator, document=document, ip="203.0.113.9")
    assert document.status == DocumentStatus.VERIFIED
    assert document.reviewer == coordinator
    assert document.reviewed_at is not None
    event = AuditEvent.objects.get(action="document.verified")
    assert event.actor == coordinator
    assert event.ip == "203.0.113.9"


@pytest.mark.parametrize("who", ["applicant", "preceptor"])
def test_only_coordinators_review(
    who: str, request: pytest.FixtureRequest, applicant: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    actor = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        document_verify(actor=actor, document=document)
    with pytest.raises(AccessDenied):
        document_reject(actor=actor, document=document, reason="No.")
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED


def test_verify_twice_is_refused(applicant: Any, coordinator: Any, reference_data: None) -> None:
    document = upload_document(applicant, "cv")
    document_verify(actor=coordinator, document=document)
    with pytest.raises(InvalidTransition):
        document_verify(actor=coordinator, document=document)
    assert AuditEvent.objects.filter(action="document.verified").count() == 1


def test_a_stale_copy_cannot_verify_twice(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    stale = Document.objects.get(pk=document.pk)
    document_reject(actor=coordinator, document=document, reason="Blurry.")
    document_verify(actor=coordinator, document=document)
    # `stale` still says "uploaded"; the compare-and-set sees "verified" and refuses.
    stale.status = DocumentStatus.UPLOADED
    with pytest.raises(InvalidTransition):
        document_verify(actor=coordinator, document=stale)


def test_old_versions_cannot_be_reviewed(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    old = upload_document(applicant, "cv")
    upload_document(applicant, "cv")
    old.refresh_from_db()
    with pytest.raises(InvalidTransition):
        document_verify(actor=coordinator, document=old)
    with pytest.raises(InvalidTransition):
        document_reject(actor=coordinator, document=old, reason="Old.")


def test_expired_documents_cannot_be_verified(
    applicant: Any, coordinator: Any, reference_data: None, today: Any
) -> None:
    document = upload_document(applicant, "passport", expires_on=today + timedelta(days=3))
    Document.objects.filter(pk=document.pk).update(expires_on=today - timedelta(days=1))
    document.refresh_from_db()
    with pytest.raises(InvalidTransition):
        document_verify(actor=coordinator, document=document)


def test_reject_needs_a_reason(applicant: Any, coordinator: Any, reference_data: None) -> None:
    document = upload_document(applicant, "cv")
    for reason in ("", "   ", "x" * 1001):
        with pytest.raises(ValidationFailed) as caught:
            document_reject(actor=coordinator, document=document, reason=reason)
        assert "reason" in caught.value.errors
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED


def test_reject_emails_the_applicant_the_reason(
    applicant: Any,
    coordinator: Any,
    reference_data: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    document = upload_document(applicant, "cv", name="my-cv.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        document = document_reject(
            actor=coordinator, document=document, reason="  Page 2 is missing.  "
        )
    assert document.status == DocumentStatus.REJECTED
    assert document.reason == "Page 2 is missing."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [applicant.email]
    assert "Curriculum vitae" in message.subject
    assert "Page 2 is missing." in message.body
    assert "my-cv.pdf" in message.body
    assert "/documents/" in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert "Page 2 is missing." in html
    event = AuditEvent.objects.get(action="document.rejected")
    assert event.data["reason"] == "Page 2 is missing."


def test_a_verified_document_can_be_rejected_and_a_rejected_one_verified(
    applicant: Any, coordinator: Any, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    document = document_verify(actor=coordinator, document=document)
    document = document_reject(actor=coordinator, document=document, reason="Wrong person.")
    assert document.status == DocumentStatus.REJECTED
    document = document_verify(actor=coordinator, document=document)
    assert document.status == DocumentStatus.VERIFIED
    assert document.reason == ""


# --- Periodic jobs --------------------------------------------------------------------------


def test_periodic_jobs_are_registered() -> None:
    assert [
        documents_mark_expired,
        documents_send_expiry_reminders,
        documents_apply_retention,
    ] == periodic.JOBS


def _set_expiry(document: Document, expires_on: Any) -> Document:
    Document.objects.filter(pk=document.pk).update(expires_on=expires_on)
    document.refresh_from_db()
    return document


def test_mark_expired_is_idempotent_and_emails_once(
    applicant: Any,
    coordinator: Any,
    reference_data: None,
    today: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    passport = upload_document(applicant, "passport", expires_on=today + timedelta(days=100))
    document_verify(actor=coordinator, document=passport)
    _set_expiry(passport, today - timedelta(days=1))
    fine = upload_document(applicant, "bls_acls", expires_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_mark_expired() == 1
        assert documents_mark_expired() == 0
    passport.refresh_from_db()
    fine.refresh_from_db()
    assert passport.status == DocumentStatus.EXPIRED
    assert fine.status == DocumentStatus.UPLOADED
    assert len(mail.outbox) == 1
    assert "has expired" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="document.expired").count() == 1


def test_mark_expired_leaves_rejected_documents_alone(
    applicant: Any, coordinator: Any, reference_data: None, today: Any
) -> None:
    document = upload_document(applicant, "passport", expires_on=today + timedelta(days=5))
    document_reject(actor=coordinator, document=document, reason="Blurry.")
    _set_expiry(document, today - timedelta(days=1))
    assert documents_mark_expired() == 0


def test_old_versions_expire_silently(
    applicant: Any, reference_data: None, today: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    old = upload_document(applicant, "passport", expires_on=today + timedelta(days=5))
    upload_document(applicant, "passport", expires_on=today + timedelta(days=3000))
    _set_expiry(old, today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_mark_expired() == 1
    assert mail.outbox == []


def test_reminders_at_30_then_7_days_each_sent_once(
    applicant: Any,
    reference_data: None,
    today: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    document = upload_document(applicant, "passport", expires_on=today + timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_send_expiry_reminders() == 0  # 40 days out: nothing yet
        _set_expiry(document, today + timedelta(days=25))
        assert documents_send_expiry_reminders() == 1
        assert documents_send_expiry_reminders() == 0
        _set_expiry(document, today + timedelta(days=6))
        assert documents_send_expiry_reminders() == 1
        assert documents_send_expiry_reminders() == 0
    assert [m.subject.split("] ")[-1] for m in mail.outbox] == [
        "Your Passport (photo page) expires in 25 days",
        "Your Passport (photo page) expires in 6 days",
    ]
    document.refresh_from_db()
    assert document.reminded_30_at is not None
    assert document.reminded_7_at is not None
    assert AuditEvent.objects.filter(action="document.expiry_reminded").count() == 2


def test_a_document_first_seen_inside_7_days_gets_one_reminder(
    applicant: Any,
    reference_data: None,
    today: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    document = upload_document(applicant, "passport", expires_on=today + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_send_expiry_reminders() == 1
        assert documents_send_expiry_reminders() == 0
    assert len(mail.outbox) == 1
    assert "expires tomorrow" in mail.outbox[0].subject
    document.refresh_from_db()
    assert document.reminded_30_at == document.reminded_7_at


def test_a_new_version_gets_its_own_reminders(
    applicant: Any, reference_data: None, today: Any
) -> None:
    upload_document(applicant, "passport", expires_on=today + timedelta(days=20))
    assert documents_send_expiry_reminders() == 1
    renewed = upload_document(applicant, "passport", expires_on=today + timedelta(days=10))
    assert documents_send_expiry_reminders() == 1
    renewed.refresh_from_db()
    assert renewed.reminded_30_at is not None


def test_no_reminders_for_rejected_documents(
    applicant: Any, coordinator: Any, reference_data: None, today: Any
) -> None:
    document = upload_document(applicant, "passport", expires_on=today + timedelta(days=5))
    document_reject(actor=coordinator, document=document, reason="Blurry.")
    assert documents_send_expiry_reminders() == 0


def test_reminder_claims_do_not_collide_between_owners(reference_data: None, today: Any) -> None:
    owners = [UserFactory(role="applicant") for _ in range(3)]
    for owner in owners:
        upload_document(owner, "passport", expires_on=today + timedelta(days=15))
    assert documents_send_expiry_reminders() == 3
    assert documents_send_expiry_reminders() == 0
