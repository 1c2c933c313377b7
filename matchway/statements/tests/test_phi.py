"""The PHI guard on the message an applicant sends a reviewer with a review link
(docs/dev/phi-guard.md); reviewer comments are covered in test_services.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.core.exceptions import PhiDetected, ValidationFailed
from matchway.statements import services
from matchway.statements.models import ReviewInvitation, Statement

pytestmark = pytest.mark.django_db

PHI = "Like Mrs. Canary Jane Doe, MRN 88442211, DOB 03/04/1950, in my second paragraph."
TEXT = "During my observership in internal medicine I presented new admissions on rounds."


@pytest.fixture
def statement(applicant: Any) -> Statement:
    return services.statement_create(actor=applicant, title="IM", body=TEXT)


def test_invitation_message_with_phi_is_refused_and_nothing_sent(
    applicant: Any, statement: Statement, mailoutbox: list[Any]
) -> None:
    version = statement.versions.get()
    with pytest.raises(PhiDetected) as exc:
        services.review_invitation_create(
            actor=applicant, version=version, email="rev@example.com", name="Dr. Rivera",
            message=PHI,
        )  # fmt: skip
    assert set(exc.value.errors) == {"message"}
    assert not ReviewInvitation.objects.exists()
    assert mailoutbox == []


def test_invitation_message_naming_the_people_passes(
    applicant: Any, statement: Statement, django_capture_on_commit_callbacks: Any
) -> None:
    message = "Dear Dr. Rivera, Dr. Chen said you read many of these. Thank you! Alice Adeyemi"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.review_invitation_create(
            actor=applicant,
            version=statement.versions.get(),
            email="rev@example.com",
            name="Dr. Maria Rivera",
            message=message,
        )
    assert invitation.message == message


def test_phi_joins_other_errors(applicant: Any, statement: Statement) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.review_invitation_create(
            actor=applicant, version=statement.versions.get(), email="", name="", message=PHI
        )
    assert {"email", "name", "message"} <= set(exc.value.errors)


def test_invite_page_shows_findings_and_keeps_the_message(
    applicant_client: Client, statement: Statement
) -> None:
    url = reverse("statements:invite", args=[statement.pk, 1])
    response = applicant_client.post(
        url, {"name": "Dr. Rivera", "email": "rev@example.com", "message": PHI, "days": "14"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Possible patient identifiers" in body
    assert "88442211" in body
    assert not ReviewInvitation.objects.exists()
