"""The PHI guard on what coordinators and applicants write to each other about an
application (docs/dev/phi-guard.md): decision messages, the confirmation override reason,
cancellation and withdrawal reasons, and a session's cancellation reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.core.exceptions import PhiDetected
from matchway.core.models import AuditEvent
from matchway.rotations.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    BookingMode,
    SessionStatus,
)
from matchway.rotations.services.applications_decide import (
    application_accept,
    application_cancel,
    application_confirm,
    application_decline,
    application_waitlist,
)
from matchway.rotations.services.applications_submit import application_submit, application_withdraw
from matchway.rotations.services.sessions import session_cancel
from matchway.rotations.tests.factories import (
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus
PHI = "We met Mrs. Canary Jane Doe (MRN 88442211, DOB 03/04/1950) on the ward."


@pytest.fixture
def submitted(applicant: Any, reference_data: None) -> Application:
    rotation = RotationFactory(required_document_types=[DocumentTypeFactory()])
    session = RotationSessionFactory(rotation=rotation, booking_mode=BookingMode.REVIEW, capacity=2)
    return application_submit(actor=applicant, session=session, consent_share_documents=True)


def _unchanged(application: Application, status: str) -> None:
    application.refresh_from_db()
    assert application.status == status
    assert not ApplicationEvent.objects.filter(application=application, reason__contains="8844")
    assert not any("88442211" in repr(e.data) for e in AuditEvent.objects.all())


@pytest.mark.parametrize(
    "decide", [application_accept, application_decline, application_waitlist]
)  # fmt: skip
def test_decision_message_with_phi_is_refused(
    decide: Callable[..., Application],
    coordinator: Any,
    submitted: Application,
    mailoutbox: list[Any],
) -> None:
    with pytest.raises(PhiDetected) as exc:
        decide(actor=coordinator, application=submitted, message=PHI)
    assert set(exc.value.errors) == {"message"}
    _unchanged(submitted, S.SUBMITTED)
    assert mailoutbox == []


def test_decision_message_naming_the_applicant_passes(
    coordinator: Any, submitted: Application
) -> None:
    message = "Welcome, Alice Adeyemi! Dr. Brown will meet you at 8. Carol Chen"
    assert application_accept(actor=coordinator, application=submitted, message=message)
    assert ApplicationEvent.objects.filter(reason=message).exists()


def test_cancel_and_override_reasons_with_phi_are_refused(
    coordinator: Any, submitted: Application
) -> None:
    application_accept(actor=coordinator, application=submitted)
    with pytest.raises(PhiDetected):
        application_confirm(actor=coordinator, application=submitted, override_reason=PHI)
    with pytest.raises(PhiDetected):
        application_cancel(actor=coordinator, application=submitted, reason=PHI)
    _unchanged(submitted, S.ACCEPTED)
    # Only the text was wrong: the same override in neutral words goes through.
    done = application_confirm(
        actor=coordinator, application=submitted, override_reason="Checked in person."
    )
    assert done.status == S.CONFIRMED


def test_withdraw_reason_with_phi_is_refused(applicant: Any, submitted: Application) -> None:
    with pytest.raises(PhiDetected):
        application_withdraw(actor=applicant, application=submitted, reason=PHI)
    _unchanged(submitted, S.SUBMITTED)


def test_session_cancel_reason_with_phi_is_refused(
    coordinator: Any, submitted: Application
) -> None:
    with pytest.raises(PhiDetected):
        session_cancel(actor=coordinator, session=submitted.session, reason=PHI)
    submitted.session.refresh_from_db()
    assert submitted.session.status != SessionStatus.CANCELLED
    _unchanged(submitted, S.SUBMITTED)


def test_review_page_keeps_the_message_with_findings(
    coordinator_client: Client, submitted: Application
) -> None:
    url = reverse("rotations:review-decide", args=[submitted.pk])
    response = coordinator_client.post(url, {"action": "decline", "message": PHI})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Possible patient identifiers" in body
    assert "88442211" in body
    _unchanged(submitted, S.SUBMITTED)


def test_withdraw_page_and_api_refuse_phi(
    applicant: Any, applicant_client: Client, submitted: Application
) -> None:
    page = applicant_client.post(
        reverse("rotations:application-withdraw", args=[submitted.pk]), {"reason": PHI}
    )
    assert page.status_code == 422
    assert "Possible patient identifiers" in page.content.decode()
    api = applicant_client.post(
        f"/api/v1/applications/{submitted.pk}/withdraw",
        {"reason": PHI},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["code"] == "phi_detected"
    _unchanged(submitted, S.SUBMITTED)


def test_referral_source_is_guarded_and_physicians_in_the_motivation_pass(
    applicant: Any, reference_data: None
) -> None:
    session = RotationSessionFactory(booking_mode=BookingMode.REVIEW, capacity=2)
    with pytest.raises(PhiDetected) as exc:
        application_submit(actor=applicant, session=session, referral_source=PHI[:200])
    assert set(exc.value.errors) == {"referral_source"}
    motivation = "Dr. Okafor's teaching on rounds is why I, Alice Adeyemi, chose this rotation."
    application = application_submit(actor=applicant, session=session, motivation=motivation)
    assert application.motivation == motivation


def test_bulk_decision_message_comes_back_with_findings(
    coordinator_client: Client, submitted: Application
) -> None:
    response = coordinator_client.post(
        reverse("rotations:review-bulk"),
        {"ids": [submitted.pk], "action": "decline", "message": PHI, "query": "status=submitted"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Possible patient identifiers" in body
    assert "88442211" in body  # the message is still in the form
    assert re.search(rf'value="{submitted.pk}"\s+checked', body)  # the selection too
    _unchanged(submitted, S.SUBMITTED)
