"""Visa invitation letters: the rule (graduate + hands-on refused, the student elective
exception, observership allowed), the PDF's content, masking of the passport number on
every page, email and audit row, verification and revocation, and who may see what."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from matchway.accounts.models import ApplicantProfile, User
from matchway.core.exceptions import InvalidTransition, PhiDetected
from matchway.core.models import AuditEvent
from matchway.organization.models import Organization
from matchway.organization.selectors import organization_forget
from matchway.reference.visa_rules import visa_rule_decide
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    RotationKind,
    VisaLetter,
    VisaLetterStatus,
)
from matchway.rotations.services import visa_letters as svc
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
    SiteFactory,
)

PASSPORT = "X12345678"
MASKED = "••••5678"


def _set_graduate(user: User, graduate: bool) -> None:
    ApplicantProfile.objects.update_or_create(user=user, defaults={"is_graduate": graduate})


def _application(
    applicant: User, *, kind: str = RotationKind.OBSERVERSHIP, hands_on: bool = False
) -> Application:
    site = SiteFactory(name="Lakeside Community Hospital", address="100 Lake Shore Dr")
    rotation = RotationFactory(
        kind=kind, hands_on=hands_on, site=site, title="Internal Medicine Observership"
    )
    session = RotationSessionFactory(rotation=rotation)
    return ApplicationFactory(
        applicant=applicant, session=session, status=ApplicationStatus.CONFIRMED
    )


def _request(applicant: User, application: Application, **kw: Any) -> VisaLetter:
    return svc.visa_letter_request(
        actor=applicant,
        application=application,
        passport_name=kw.get("passport_name", "ADEYEMI ALICE"),
        passport_number=kw.get("passport_number", PASSPORT),
        paid_by=kw.get("paid_by", ""),
    )


@pytest.fixture
def provider(db: None) -> Organization:
    org = Organization.objects.create(
        name="Lakeside Rotations",
        legal_name="Lakeside Rotations LLC",
        address="200 Main Street\nChicago, IL 60601",
        contact_email="office@lakeside.example",
        phone="+1 312 555 0100",
    )
    organization_forget()
    return org


@pytest.fixture
def issued(
    applicant: User,
    coordinator: User,
    provider: Organization,
    django_capture_on_commit_callbacks: Any,
) -> VisaLetter:
    _set_graduate(applicant, True)
    letter = _request(applicant, _application(applicant))
    with django_capture_on_commit_callbacks(execute=True):
        return svc.visa_letter_issue(actor=coordinator, letter=letter)


# --- the rule -------------------------------------------------------------------------


def test_rule_data_names_its_source_or_says_unconfirmed() -> None:
    grad = visa_rule_decide(is_graduate=True, kind="clerkship", hands_on=True)
    assert not grad.allowed and grad.code == "observation_only"
    assert grad.confirmed is True and grad.source_url.startswith("https://wp.uthscsa.edu/")
    student = visa_rule_decide(is_graduate=False, kind="clerkship", hands_on=True)
    assert student.allowed and student.code == "student_elective"
    assert student.confirmed is False and student.source_url == ""  # no source invented


@pytest.mark.django_db
def test_graduate_hands_on_rotation_is_refused_with_explanation(applicant: User) -> None:
    _set_graduate(applicant, True)
    application = _application(applicant, kind=RotationKind.CLERKSHIP, hands_on=True)
    with pytest.raises(InvalidTransition, match="may observe but may not give hands-on"):
        _request(applicant, application)
    assert not VisaLetter.objects.exists()


@pytest.mark.django_db
def test_graduate_hands_on_page_explains_and_offers_no_form(
    applicant: User, applicant_client: Client
) -> None:
    _set_graduate(applicant, True)
    application = _application(applicant, kind=RotationKind.EXTERNSHIP, hands_on=True)
    response = applicant_client.get(reverse("visa_letters:request", args=[application.pk]))
    body = response.content.decode()
    assert "may observe but may not give hands-on" in body
    assert 'name="passport_number"' not in body
    assert "wp.uthscsa.edu" in body


@pytest.mark.django_db
def test_student_elective_clerkship_is_the_exception_and_marked_unverified(
    applicant: User, applicant_client: Client
) -> None:
    _set_graduate(applicant, False)
    application = _application(applicant, kind=RotationKind.CLERKSHIP, hands_on=True)
    page = applicant_client.get(reverse("visa_letters:request", args=[application.pk]))
    assert "Unverified rule" in page.content.decode()
    letter = _request(applicant, application)
    assert letter.status == VisaLetterStatus.REQUESTED


@pytest.mark.django_db
def test_student_hands_on_externship_is_refused(applicant: User) -> None:
    _set_graduate(applicant, False)
    application = _application(applicant, kind=RotationKind.EXTERNSHIP, hands_on=True)
    with pytest.raises(InvalidTransition, match="not a clerkship"):
        _request(applicant, application)


@pytest.mark.django_db
def test_graduate_observership_is_allowed_even_if_flagged_hands_on(applicant: User) -> None:
    _set_graduate(applicant, True)
    application = _application(applicant, kind=RotationKind.OBSERVERSHIP, hands_on=True)
    letter = _request(applicant, application, paid_by="")
    assert letter.paid_by == svc.DEFAULT_PAID_BY


@pytest.mark.django_db
def test_research_needs_a_j1(applicant: User) -> None:
    application = _application(applicant, kind=RotationKind.RESEARCH)
    with pytest.raises(InvalidTransition, match="J-1"):
        _request(applicant, application)


@pytest.mark.django_db
def test_only_confirmed_applications(applicant: User) -> None:
    application = _application(applicant)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    application.refresh_from_db()
    with pytest.raises(InvalidTransition, match="confirmed"):
        _request(applicant, application)


# --- request through the page ---------------------------------------------------------


@pytest.mark.django_db
def test_request_page_emails_coordinators_and_masks(
    applicant: User, applicant_client: Client, coordinator: User
) -> None:
    application = _application(applicant)
    detail = applicant_client.get(reverse("rotations:application", args=[application.pk]))
    assert "Request a visa letter" in detail.content.decode()
    response = applicant_client.post(
        reverse("visa_letters:request", args=[application.pk]),
        {"passport_name": "ADEYEMI ALICE", "passport_number": "x1234 5678", "paid_by": "My family"},
    )
    letter = VisaLetter.objects.get()
    assert response.status_code == 302
    assert letter.passport_number == PASSPORT and letter.paid_by == "My family"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert PASSPORT not in mail.outbox[0].body
    page = applicant_client.get(response["Location"]).content.decode()
    assert MASKED in page and PASSPORT not in page


@pytest.mark.django_db
def test_a_refused_form_does_not_echo_the_passport_number(
    applicant: User, applicant_client: Client
) -> None:
    application = _application(applicant)
    response = applicant_client.post(
        reverse("visa_letters:request", args=[application.pk]),
        {"passport_name": "", "passport_number": PASSPORT, "paid_by": "Me"},
    )
    assert response.status_code == 422
    assert PASSPORT not in response.content.decode()


# --- issue: the PDF -------------------------------------------------------------------


def _pdf_text(letter: VisaLetter) -> str:
    with letter.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


@pytest.mark.django_db
def test_issued_pdf_states_everything_the_consulate_needs(issued: VisaLetter) -> None:
    assert issued.status == VisaLetterStatus.ISSUED and issued.number.startswith("VL-")
    text = _pdf_text(issued)
    session = issued.application.session
    for expected in (
        "ADEYEMI ALICE",
        PASSPORT,  # the one place the full number appears
        f"{session.start_date:%B} {session.start_date.day}, {session.start_date.year}",
        f"{session.end_date:%B} {session.end_date.day}, {session.end_date.year}",
        "100 Lake Shore Dr",
        "not employment",
        "observation only",
        "will not give hands-on patient care",
        "unpaid",
        "paid by: The applicant (self-funded)",
        "office@lakeside.example",
        "+1 312 555 0100",
        "Lakeside Rotations LLC",
        "200 Main Street",
        issued.number,
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_letterhead_degrades_when_the_provider_is_blank(applicant: User, coordinator: User) -> None:
    organization_forget()  # no Organization row: an unsaved one named SITE_NAME
    letter = _request(applicant, _application(applicant))
    letter = svc.visa_letter_issue(actor=coordinator, letter=letter)
    assert "not employment" in _pdf_text(letter)


@pytest.mark.django_db
def test_issue_emails_applicant_and_audits_without_passport(
    issued: VisaLetter, applicant: User, caplog: pytest.LogCaptureFixture
) -> None:
    assert any(applicant.email in m.to for m in mail.outbox)
    events = AuditEvent.objects.filter(action__startswith="visa_letter.")
    assert {e.action for e in events} == {"visa_letter.request", "visa_letter.issue"}
    dumped = json.dumps([[e.data, e.target_label] for e in events])
    assert PASSPORT not in dumped and "5678" not in dumped
    assert all(PASSPORT not in m.body for m in mail.outbox)


# --- masking on every page ------------------------------------------------------------


@pytest.mark.django_db
def test_passport_number_masked_on_every_page(
    issued: VisaLetter,
    applicant_client: Client,
    coordinator_client: Client,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    pages = [
        (applicant_client, reverse("visa_letters:detail", args=[issued.pk])),
        (applicant_client, reverse("rotations:application", args=[issued.application_id])),
        (coordinator_client, reverse("visa_letters:detail", args=[issued.pk])),
        (coordinator_client, reverse("visa_letters:queue") + "?status=issued"),
        (coordinator_client, reverse("visa_letters:revoke", args=[issued.pk])),
        (coordinator_client, reverse("rotations:manage")),
        (Client(), reverse("visa_letters:verify", args=[issued.number])),
    ]
    for client, url in pages:
        body = client.get(url).content.decode()
        assert PASSPORT not in body, url
    detail = coordinator_client.get(reverse("visa_letters:detail", args=[issued.pk]))
    assert MASKED in detail.content.decode()
    assert PASSPORT not in caplog.text


# --- verification and revocation ------------------------------------------------------


@pytest.mark.django_db
def test_verify_page_shows_only_name_dates_validity(issued: VisaLetter) -> None:
    response = Client().get(reverse("visa_letters:verify", args=[issued.number]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in body and "ADEYEMI ALICE" in body
    for hidden in ("5678", "100 Lake Shore Dr", "Lakeside Community Hospital", "self-funded"):
        assert hidden not in body, hidden
    assert svc.visa_letter_verify(issued).valid


@pytest.mark.django_db
def test_verify_unknown_number_is_404(db: None) -> None:
    response = Client().get(reverse("visa_letters:verify", args=["VL-AAAAAAAAAA"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_tampered_name_no_longer_verifies(issued: VisaLetter) -> None:
    VisaLetter.objects.filter(pk=issued.pk).update(passport_name="SOMEONE ELSE")
    issued.refresh_from_db()
    assert not svc.visa_letter_verify(issued).valid


@pytest.mark.django_db
def test_revoked_letter_shows_revoked_and_cannot_be_downloaded(
    issued: VisaLetter, applicant_client: Client, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        reverse("visa_letters:revoke", args=[issued.pk]), {"reason": "Dates changed."}
    )
    assert response.status_code == 302
    body = Client().get(reverse("visa_letters:verify", args=[issued.number])).content.decode()
    assert "Revoked" in body and "Dates changed" not in body  # reasons are not public
    download = reverse("visa_letters:download", args=[issued.pk])
    assert applicant_client.get(download).status_code == 404
    assert coordinator_client.get(download).status_code == 200
    assert AuditEvent.objects.filter(action="visa_letter.revoke").exists()


@pytest.mark.django_db
def test_refuse_emails_the_reason(applicant: User, coordinator_client: Client) -> None:
    letter = _request(applicant, _application(applicant))
    response = coordinator_client.post(
        reverse("visa_letters:refuse", args=[letter.pk]), {"reason": "Passport name misspelled."}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == VisaLetterStatus.REFUSED
    assert any("Passport name misspelled." in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_coordinator_queue_issues_through_the_page(
    applicant: User, outsider: User, coordinator_client: Client, django_assert_num_queries: Any
) -> None:
    letter = _request(applicant, _application(applicant))
    _request(outsider, _application(outsider))
    url = reverse("visa_letters:queue")
    # Warm up once: the first request fills per-process caches (organization, site
    # settings); the pinned count is then the page's own queries, independent of rows:
    # session, user, counts, page count, page rows (with applicant/rotation joined).
    coordinator_client.get(url)
    with django_assert_num_queries(5):
        response = coordinator_client.get(url)
    assert "Alice Adeyemi" in response.content.decode()
    coordinator_client.post(reverse("visa_letters:issue", args=[letter.pk]))
    letter.refresh_from_db()
    assert letter.status == VisaLetterStatus.ISSUED


# --- access -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_applicant_downloads_and_download_is_audited(
    issued: VisaLetter, applicant_client: Client
) -> None:
    response = applicant_client.get(reverse("visa_letters:download", args=[issued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="visa_letter.download").exists()


@pytest.mark.django_db
def test_others_get_404(
    issued: VisaLetter,
    outsider_client: Client,
    preceptor_client: Client,
    anonymous: Client,
) -> None:
    for name in ("visa_letters:detail", "visa_letters:download"):
        url = reverse(name, args=[issued.pk])
        assert outsider_client.get(url).status_code == 404
        assert preceptor_client.get(url).status_code == 404
        anon = anonymous.get(url)  # anonymous: sent to sign in, nothing shown
        assert anon.status_code == 302 and "/accounts/login/" in anon["Location"]
    request_url = reverse("visa_letters:request", args=[issued.application_id])
    assert outsider_client.get(request_url).status_code == 404


@pytest.mark.django_db
def test_refusal_and_revocation_reasons_pass_the_phi_guard(
    applicant: User, coordinator: User, issued: VisaLetter
) -> None:
    """The applicant reads the reason by email: no patient identifiers (docs/dev/phi-guard.md)."""
    phi = "Mrs. Canary Testperson, MRN 99887766, was in the same ward."
    letter = _request(applicant, _application(applicant))
    for call, target in ((svc.visa_letter_refuse, letter), (svc.visa_letter_revoke, issued)):
        with pytest.raises(PhiDetected):
            call(actor=coordinator, letter=target, reason=phi)
    letter.refresh_from_db()
    issued.refresh_from_db()
    assert (letter.status, issued.status) == (VisaLetterStatus.REQUESTED, VisaLetterStatus.ISSUED)
    assert "99887766" not in " ".join(m.body for m in mail.outbox)
