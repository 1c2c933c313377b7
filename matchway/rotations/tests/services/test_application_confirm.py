from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from matchway.accounts.models import User
from matchway.core.exceptions import (
    AccessDenied,
    HoldExpiredError,
    InvalidTransition,
    ValidationFailed,
)
from matchway.core.models import AuditEvent
from matchway.documents.models import Document, DocumentStatus, DocumentType
from matchway.rotations.models import Application, ApplicationStatus, RotationSession
from matchway.rotations.selectors import RequirementStatus, confirmation_requirements
from matchway.rotations.services.applications_decide import application_confirm
from matchway.rotations.services.applications_submit import application_submit
from matchway.rotations.services.payments import payment_record
from matchway.rotations.tests.factories import ApplicationFactory, DocumentTypeFactory

from .helpers import assert_email

S = ApplicationStatus


@pytest.fixture
def cv_type(db: None) -> DocumentType:
    return DocumentTypeFactory(code="cv", name="Curriculum vitae")


@pytest.fixture
def tb_type(db: None) -> DocumentType:
    return DocumentTypeFactory(code="tb_test", name="Tuberculosis test", valid_for_days=365)


@pytest.fixture
def accepted(
    applicant: User,
    instant_session: RotationSession,
    cv_type: DocumentType,
    tb_type: DocumentType,
) -> Application:
    instant_session.rotation.required_document_types.set([cv_type, tb_type])
    return application_submit(actor=applicant, session=instant_session)


def make_document(owner: User, doc_type: DocumentType, **kwargs: Any) -> Document:
    defaults: dict[str, Any] = {
        "file": f"documents/{owner.pk}/{doc_type.code}",
        "original_name": f"{doc_type.code}.pdf",
        "sha256": "0" * 64,
        "size": 1000,
        "content_type": "application/pdf",
        "status": DocumentStatus.VERIFIED,
    }
    defaults.update(kwargs)
    Document.objects.filter(owner=owner, type=doc_type).update(is_current=False)
    return Document.objects.create(owner=owner, type=doc_type, **defaults)


def make_ready(application: Application, coordinator: User) -> None:
    owner = application.applicant
    for doc_type in application.session.rotation.required_document_types.all():
        make_document(owner, doc_type, issued_on=timezone.localdate())
    payment_record(
        actor=coordinator,
        application=application,
        amount_cents=application.session.rotation.deposit_cents,
        method="card",
    )


def test_confirm_when_documents_verified_and_deposit_paid(
    coordinator: User,
    applicant: User,
    accepted: Application,
    committed: Callable[[], Any],
    mailoutbox: list[Any],
) -> None:
    make_ready(accepted, coordinator)
    assert confirmation_requirements(accepted).ready
    with committed():
        result = application_confirm(actor=coordinator, application=accepted)
    assert result.status == S.CONFIRMED
    assert result.confirmed_at is not None
    assert result.confirm_override_reason == ""
    assert result.events.last().to_status == S.CONFIRMED  # type: ignore[union-attr]
    assert_email(mailoutbox[-1], applicant.email, "Confirmed")


def test_confirm_lists_what_is_missing(coordinator: User, accepted: Application) -> None:
    make_document(accepted.applicant, DocumentType.objects.get(code="cv"))
    with pytest.raises(ValidationFailed) as excinfo:
        application_confirm(actor=coordinator, application=accepted)
    error = excinfo.value
    assert "Tuberculosis test: missing" in error.message
    assert "deposit" in error.message
    assert error.errors["documents"] == ["Tuberculosis test: missing"]
    assert "deposit" in error.errors
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED


def test_override_confirms_and_is_audited(coordinator: User, accepted: Application) -> None:
    result = application_confirm(
        actor=coordinator, application=accepted, override_reason="Paid at the front desk."
    )
    assert result.status == S.CONFIRMED
    assert result.confirm_override_reason == "Paid at the front desk."
    event = AuditEvent.objects.get(action="application.confirm_override")
    assert event.data["reason"] == "Paid at the front desk."
    assert "Curriculum vitae: missing" in event.data["missing"]


def test_lapsed_hold_cannot_be_confirmed(coordinator: User, accepted: Application) -> None:
    make_ready(accepted, coordinator)
    Application.objects.filter(pk=accepted.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(HoldExpiredError):
        application_confirm(actor=coordinator, application=accepted, override_reason="x")


@pytest.mark.parametrize(
    "status", [s for s in S.values if s != S.ACCEPTED], ids=[s for s in S.values if s != S.ACCEPTED]
)
def test_only_accepted_can_be_confirmed(
    status: str, coordinator: User, instant_session: RotationSession
) -> None:
    application = ApplicationFactory(session=instant_session, status=status)
    with pytest.raises(InvalidTransition):
        application_confirm(actor=coordinator, application=application, override_reason="x")


@pytest.mark.parametrize("role", ["applicant", "preceptor", "outsider"])
def test_only_coordinators_confirm(
    role: str, request: pytest.FixtureRequest, accepted: Application
) -> None:
    with pytest.raises(AccessDenied):
        application_confirm(actor=request.getfixturevalue(role), application=accepted)


def test_waiver_covers_the_deposit(coordinator: User, accepted: Application) -> None:
    for doc_type in accepted.session.rotation.required_document_types.all():
        make_document(accepted.applicant, doc_type, issued_on=timezone.localdate())
    payment_record(actor=coordinator, application=accepted, amount_cents=0, method="waiver")
    requirements = confirmation_requirements(accepted)
    assert requirements.deposit_waived
    assert requirements.ready


def test_partial_deposit_is_not_enough(coordinator: User, accepted: Application) -> None:
    payment_record(actor=coordinator, application=accepted, amount_cents=100, method="cash")
    requirements = confirmation_requirements(accepted)
    assert (requirements.deposit_due_cents, requirements.deposit_paid_cents) == (50_000, 100)
    assert not requirements.deposit_ok


def _refund_deposit(coordinator: User, application: Application) -> None:
    from matchway.rotations.services.refunds import refund_execute

    refund_execute(
        actor=coordinator,
        application=application,
        amount_cents=application.session.rotation.deposit_cents,
        reason="The deposit went back to the applicant",
        method="cash",
    )


def test_a_refunded_deposit_does_not_count(coordinator: User, accepted: Application) -> None:
    """Paid minus refunded, as the ledger adds it: a deposit given back is no deposit."""
    from matchway.rotations.selectors_pages import review_page, session_roster

    make_ready(accepted, coordinator)
    assert confirmation_requirements(accepted).ready
    _refund_deposit(coordinator, accepted)
    requirements = confirmation_requirements(accepted)
    assert requirements.deposit_paid_cents == 0
    assert not requirements.deposit_ok
    assert not requirements.ready
    # The coordinator's pages say the same as the rule that refuses the confirmation.
    [row] = session_roster(session=accepted.session)
    assert not row.requirements.deposit_ok
    page = review_page(user=coordinator, pk=accepted.pk)
    assert page is not None and not page.requirements.deposit_ok
    with pytest.raises(ValidationFailed) as excinfo:
        application_confirm(actor=coordinator, application=accepted)
    assert "deposit" in excinfo.value.errors


def test_a_waiver_still_covers_the_deposit_after_a_refund(
    coordinator: User, accepted: Application
) -> None:
    make_ready(accepted, coordinator)
    _refund_deposit(coordinator, accepted)
    payment_record(actor=coordinator, application=accepted, amount_cents=0, method="waiver")
    assert confirmation_requirements(accepted).ready


def _status_of(application: Application, code: str) -> str:
    items = {i.type_code: i for i in confirmation_requirements(application).documents}
    return items[code].status


def test_requirement_statuses(
    accepted: Application, cv_type: DocumentType, tb_type: DocumentType
) -> None:
    owner = accepted.applicant
    session_end = accepted.session.end_date
    today = timezone.localdate()
    assert _status_of(accepted, "cv") == RequirementStatus.MISSING
    make_document(owner, cv_type, status=DocumentStatus.UPLOADED)
    assert _status_of(accepted, "cv") == RequirementStatus.UPLOADED
    make_document(owner, cv_type, status=DocumentStatus.REJECTED)
    assert _status_of(accepted, "cv") == RequirementStatus.REJECTED
    make_document(owner, cv_type, status=DocumentStatus.EXPIRED)
    assert _status_of(accepted, "cv") == RequirementStatus.EXPIRED
    make_document(owner, cv_type, expires_on=today - dt.timedelta(days=1))
    assert _status_of(accepted, "cv") == RequirementStatus.EXPIRED
    make_document(owner, cv_type, expires_on=session_end - dt.timedelta(days=1))
    assert _status_of(accepted, "cv") == RequirementStatus.EXPIRING
    make_document(owner, cv_type, expires_on=session_end)
    assert _status_of(accepted, "cv") == RequirementStatus.VERIFIED
    # A TB test is good for 365 days from its date: one taken 350 days ago lapses mid-session.
    make_document(owner, tb_type, issued_on=today - dt.timedelta(days=350))
    assert _status_of(accepted, "tb_test") == RequirementStatus.EXPIRING
    make_document(owner, tb_type, issued_on=today)
    assert _status_of(accepted, "tb_test") == RequirementStatus.VERIFIED


def test_only_current_version_counts(accepted: Application, cv_type: DocumentType) -> None:
    make_document(accepted.applicant, cv_type)
    make_document(accepted.applicant, cv_type, status=DocumentStatus.UPLOADED)
    assert _status_of(accepted, "cv") == RequirementStatus.UPLOADED


def test_confirm_refuses_expiring_document(coordinator: User, accepted: Application) -> None:
    make_ready(accepted, coordinator)
    make_document(
        accepted.applicant,
        DocumentType.objects.get(code="cv"),
        expires_on=accepted.session.end_date - dt.timedelta(days=3),
    )
    with pytest.raises(ValidationFailed, match="Curriculum vitae: expiring"):
        application_confirm(actor=coordinator, application=accepted)
