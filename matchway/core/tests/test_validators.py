"""One-line fields reject control characters (CR/LF and other Cc) everywhere they enter:
forms, API schemas. `core.validators.validate_single_line` is the one rule."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchway.accounts.forms import InvitationForm, SignupForm
from matchway.core.validators import MSG_SINGLE_LINE, validate_single_line
from matchway.documents.models import Document
from matchway.letters.forms import LetterRequestForm

BAD = ["Alice\r\nBcc: x@example.com", "Alice\nAdeyemi", "Tab\there", "Nul\x00", "Bell\x07"]


@pytest.mark.parametrize("value", BAD)
def test_validator_rejects_control_characters(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_single_line(value)
    assert info.value.messages == [str(MSG_SINGLE_LINE)]


@pytest.mark.parametrize("value", ["", "Siobhán O'Brien & Sons <Ltd>", "Dr. Ng — MD, PhD"])
def test_validator_accepts_ordinary_names(value: str) -> None:
    validate_single_line(value)


@pytest.mark.django_db
def test_forms_reject_line_breaks_in_names() -> None:
    invite = InvitationForm(
        {"full_name": "Pat\r\nX", "email": "p@example.org", "role": "preceptor"}
    )
    assert not invite.is_valid()
    assert invite.errors["full_name"] == [str(MSG_SINGLE_LINE)]
    signup = SignupForm(
        {"full_name": "Al\nice", "email": "a@example.org", "password1": "x", "password2": "x"}
    )
    assert not signup.is_valid()
    assert str(MSG_SINGLE_LINE) in signup.errors["full_name"]
    letter = LetterRequestForm(
        {"writer_name": "Dr.\r\nX", "writer_title": "MD\nPhD"},
        outside_writer=True,
        attachment_queryset=Document.objects.none(),
    )
    letter.is_valid()
    assert letter.errors["writer_name"] == [str(MSG_SINGLE_LINE)]
    assert letter.errors["writer_title"] == [str(MSG_SINGLE_LINE)]


@pytest.mark.django_db
def test_profile_page_rejects_a_name_with_a_line_break(applicant, applicant_client) -> None:
    response = applicant_client.post(
        reverse("accounts:profile"),
        {"user-full_name": "Alice\r\nAdeyemi", "user-timezone": "America/New_York"},
    )
    assert response.status_code == 200
    assert str(MSG_SINGLE_LINE) in response.content.decode()
    applicant.refresh_from_db()
    assert "\n" not in applicant.full_name


@pytest.mark.django_db
def test_api_me_rejects_a_name_with_a_line_break(applicant, applicant_client) -> None:
    response = applicant_client.patch(
        "/api/v1/me", json.dumps({"full_name": "Alice\nAdeyemi"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert "single line" in response.content.decode()
    applicant.refresh_from_db()
    assert "\n" not in applicant.full_name


@pytest.mark.django_db
def test_catalog_and_program_fields_reject_line_breaks(applicant) -> None:
    from matchway.core.exceptions import ValidationFailed
    from matchway.letters.services.assignments import letter_assign
    from matchway.rotations.forms import SiteForm

    site = SiteForm({"name": "General\r\nHospital"})
    site.is_valid()
    assert str(MSG_SINGLE_LINE) in site.errors["name"]
    with pytest.raises(ValidationFailed) as info:
        letter_assign(actor=applicant, letter_id=0, program_label="Mayo\nClinic")
    assert info.value.errors == {"program_label": [str(MSG_SINGLE_LINE)]}
