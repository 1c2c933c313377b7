"""Certificates: issue, sign, render, verify (page, API, command), revoke, tampering."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchway.core.exceptions import AccessDenied, InvalidTransition, PhiDetected, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.experience.models import Certificate, RenderState
from matchway.experience.services import certificates as svc
from matchway.experience.services.evaluations import EvaluationInput
from matchway.experience.services.evaluations_submit import evaluation_save
from matchway.experience.tests.factories import (
    FULL_RATINGS,
    EvaluationFactory,
    completed_application,
    confirm_days,
)
from matchway.rotations.models import Application

pytestmark = pytest.mark.django_db

NUMBER_RE = re.compile(r"^MW-[A-Z2-7]{10}$")


@pytest.fixture
def ready(completed: Application, preceptor: Any) -> Application:
    """Completed, 5 days × 8 h confirmed, final evaluation submitted."""
    confirm_days(completed, preceptor, hours="8", days=5)
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    evaluation_save(
        actor=preceptor,
        evaluation=evaluation,
        values=EvaluationInput(
            ratings=dict(FULL_RATINGS),
            strengths="Prepared and reliable.",
            recommendation="recommend",
            would_write_letter=True,
        ),
        submit=True,
    )
    return completed


@pytest.fixture
def certificate(ready: Application, coordinator: Any, committed: Any) -> Certificate:
    with committed():
        return svc.certificate_issue(actor=coordinator, application=ready)


def _pdf_text(certificate: Certificate) -> str:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


# --- Issue ----------------------------------------------------------------------------


def test_issue_needs_completion_evaluation_and_hours(
    completed: Application, coordinator: Any, preceptor: Any
) -> None:
    reasons = svc.certificate_eligibility(completed)
    assert str(svc.MSG_NO_EVALUATION) in reasons
    assert str(svc.MSG_NO_HOURS) in reasons
    with pytest.raises(InvalidTransition):
        svc.certificate_issue(actor=coordinator, application=completed)


def test_only_coordinators_issue(ready: Application, applicant: Any, preceptor: Any) -> None:
    for actor in (applicant, preceptor):
        with pytest.raises(AccessDenied):
            svc.certificate_issue(actor=actor, application=ready)


def test_issue_signs_confirmed_facts_and_renders_the_pdf(
    certificate: Certificate, ready: Application, mailoutbox: list[Any]
) -> None:
    certificate.refresh_from_db()
    assert NUMBER_RE.match(certificate.number)
    facts = certificate.payload
    assert facts["number"] == certificate.number
    assert facts["confirmed_hours"] == "40.0" == str(certificate.hours)
    assert facts["applicant_name"] == ready.applicant.full_name
    assert facts["specialty"] == "Internal Medicine"  # "(Categorical)" is a residency track
    assert "email" not in str(facts).lower()
    assert certificate.render_state == RenderState.DONE
    assert certificate.rendered_at is not None
    text = _pdf_text(certificate)
    assert certificate.number in text
    assert ready.applicant.full_name in text
    assert "Clerkship — hands-on patient care under supervision" in text
    assert svc.certificate_verify(certificate).valid
    assert any("is ready" in m.subject for m in mailoutbox)
    assert AuditEvent.objects.filter(action="certificate.issue").count() == 1


def test_an_observership_certificate_never_says_hands_on(
    applicant: Any, preceptor: Any, coordinator: Any, committed: Any
) -> None:
    application = completed_application(
        applicant=applicant, preceptors=[preceptor], kind="observership", hands_on=True
    )
    confirm_days(application, preceptor)
    evaluation = EvaluationFactory(application=application, evaluator=preceptor)
    evaluation_save(
        actor=preceptor,
        evaluation=evaluation,
        values=EvaluationInput(
            ratings=dict(FULL_RATINGS),
            strengths="Curious.",
            recommendation="recommend",
            would_write_letter=False,
        ),
        submit=True,
    )
    with committed():
        certificate = svc.certificate_issue(actor=coordinator, application=application)
    assert certificate.payload["hands_on"] is False
    text = _pdf_text(certificate)
    assert "Observership — observation only; no hands-on patient care" in text
    assert "under supervision" not in text


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_a_number_collision_draws_again(
    ready: Application, coordinator: Any, monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    taken = Certificate.objects.create(
        number="MW-AAAAAAAAAA",
        application=completed_application(),
        hours=1,
        issued_by=coordinator,
        payload={},
        signature="x",
        revoked_at="2026-01-01T00:00:00Z",
    )
    numbers = iter([taken.number, "MW-BBBBBBBBBB"])
    monkeypatch.setattr(svc, "new_number", lambda: next(numbers))
    certificate = svc.certificate_issue(actor=coordinator, application=ready)
    assert certificate.number == "MW-BBBBBBBBBB"
    assert svc.certificate_verify(certificate).valid


def test_numbers_are_random_base32() -> None:
    numbers = {svc.new_number() for _ in range(200)}
    assert len(numbers) == 200
    assert all(NUMBER_RE.match(n) for n in numbers)


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_one_valid_certificate_per_application(
    certificate: Certificate, ready: Application, coordinator: Any, committed: Any
) -> None:
    with pytest.raises(InvalidTransition):
        svc.certificate_issue(actor=coordinator, application=ready)
    svc.certificate_revoke(actor=coordinator, certificate=certificate, reason="Wrong dates")
    again = svc.certificate_issue(actor=coordinator, application=ready)
    assert again.number != certificate.number


# --- Tampering ------------------------------------------------------------------------


def test_a_changed_fact_fails_verification(certificate: Certificate) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        payload={**certificate.payload, "confirmed_hours": "400.0"}
    )
    certificate.refresh_from_db()
    result = svc.certificate_verify(certificate)
    assert not result.signature_valid
    assert not result.valid


def test_a_changed_hours_column_fails_verification(certificate: Certificate) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(hours=400)
    certificate.refresh_from_db()
    assert not svc.certificate_verify(certificate).valid


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_a_reused_number_fails_verification(certificate: Certificate, coordinator: Any) -> None:
    """Another row carrying a copy of this certificate's signed facts and signature (the
    number is unique, so it must carry a different one) does not verify."""
    copy = Certificate.objects.create(
        number="MW-CCCCCCCCCC",
        application=completed_application(),
        hours=certificate.hours,
        issued_by=coordinator,
        payload=certificate.payload,
        signature=certificate.signature,
        key_id=certificate.key_id,
    )
    assert not svc.certificate_verify(copy).valid
    # Re-labelling the copied facts with the new number breaks the signature instead.
    Certificate.objects.filter(pk=copy.pk).update(
        payload={**certificate.payload, "number": copy.number}
    )
    copy.refresh_from_db()
    assert not svc.certificate_verify(copy).valid


def test_a_signature_from_another_key_fails(certificate: Certificate, settings: Any) -> None:
    assert svc.certificate_verify(certificate).valid
    settings.CERTIFICATE_SIGNING_KEY = (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    assert not svc.certificate_verify(certificate).valid


# --- Render ---------------------------------------------------------------------------


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_render_is_claimed_once(certificate: Certificate) -> None:
    assert svc.certificate_render(certificate_id=certificate.pk) is False
    Certificate.objects.filter(pk=certificate.pk).update(render_state=RenderState.PENDING)
    assert svc.certificate_render(certificate_id=certificate.pk) is True
    assert svc.certificate_render(certificate_id=certificate.pk) is False


def test_a_failed_render_is_recorded_and_can_be_retried(
    ready: Application, coordinator: Any, monkeypatch: pytest.MonkeyPatch, committed: Any
) -> None:
    def boom(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("font missing")

    monkeypatch.setattr(svc, "certificate_pdf", boom)
    with committed():
        certificate = svc.certificate_issue(actor=coordinator, application=ready)
    certificate.refresh_from_db()
    assert certificate.render_state == RenderState.FAILED
    assert "font missing" in certificate.render_error
    monkeypatch.undo()
    with committed():
        svc.certificate_render_retry(actor=coordinator, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.render_state == RenderState.DONE


def test_stuck_renders_are_requeued(certificate: Certificate, committed: Any) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        render_state=RenderState.PENDING, issued_at="2020-01-01T00:00:00Z"
    )
    with committed():
        assert svc.certificates_render_stuck() == 1
    certificate.refresh_from_db()
    assert certificate.render_state == RenderState.DONE
    assert svc.certificates_render_stuck() == 0


# --- Revoke ---------------------------------------------------------------------------


def test_revoke_needs_a_reason_and_happens_once(
    certificate: Certificate, coordinator: Any, mailoutbox: list[Any], committed: Any
) -> None:
    with pytest.raises(ValidationFailed):
        svc.certificate_revoke(actor=coordinator, certificate=certificate, reason="  ")
    with committed():
        svc.certificate_revoke(
            actor=coordinator, certificate=certificate, reason="Dates were wrong"
        )
    with pytest.raises(InvalidTransition):
        svc.certificate_revoke(actor=coordinator, certificate=certificate, reason="again")
    result = svc.certificate_verify(certificate)
    assert result.revoked and not result.valid and result.signature_valid
    assert result.revoked_reason == "Dates were wrong"
    assert any("revoked" in m.subject for m in mailoutbox)


# --- Pages ----------------------------------------------------------------------------


def test_verify_page_shows_the_facts_and_no_contact_data(
    certificate: Certificate, anonymous: Client, ready: Application, preceptor: Any
) -> None:
    response = anonymous.get(reverse("certificates:verify", args=[certificate.number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid" in page
    assert ready.applicant.full_name in page
    assert "hands-on patient care under supervision" in page
    assert "40.0" in page
    for private in (ready.applicant.email, preceptor.email, "@"):
        assert private not in page.split("<main", 1)[1]


def test_verify_page_says_revoked_with_the_reason(
    certificate: Certificate, anonymous: Client, coordinator: Any
) -> None:
    svc.certificate_revoke(actor=coordinator, certificate=certificate, reason="Issued in error")
    page = anonymous.get(reverse("certificates:verify", args=[certificate.number])).content
    assert b"Revoked" in page and b"Issued in error" in page
    assert b"verdict-valid" not in page


def test_verify_accepts_lower_case_numbers(certificate: Certificate, anonymous: Client) -> None:
    url = reverse("certificates:verify", args=[certificate.number.lower()])
    assert anonymous.get(url).status_code == 200


def test_unknown_number_gets_a_neutral_404(anonymous: Client, db: None) -> None:
    response = anonymous.get(reverse("certificates:verify", args=["MW-ZZZZZZZZZZ"]))
    assert response.status_code == 404
    assert b"No certificate with this number" in response.content


def test_verify_page_query_count_is_fixed(
    certificate: Certificate, anonymous: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        anonymous.get(reverse("certificates:verify", args=[certificate.number]))


def test_public_key_is_pem_text(anonymous: Client, db: None) -> None:
    response = anonymous.get(reverse("certificates:public-key"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert response["X-Key-Id"]


def test_download_is_private_and_audited(
    certificate: Certificate,
    applicant_client: Client,
    coordinator_client: Client,
    preceptor_client: Client,
    outsider_client: Client,
    anonymous: Client,
) -> None:
    url = reverse("certificates:download", args=[certificate.number])
    response = applicant_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert coordinator_client.get(url).status_code == 200
    assert preceptor_client.get(url).status_code == 404
    assert outsider_client.get(url).status_code == 404
    assert anonymous.get(url).status_code == 302
    assert AuditEvent.objects.filter(action="certificate.download").count() == 2


def test_a_revoked_certificate_is_not_downloadable_by_the_applicant(
    certificate: Certificate,
    coordinator: Any,
    applicant_client: Client,
    coordinator_client: Client,
) -> None:
    svc.certificate_revoke(actor=coordinator, certificate=certificate, reason="Error")
    url = reverse("certificates:download", args=[certificate.number])
    assert applicant_client.get(url).status_code == 404
    assert coordinator_client.get(url).status_code == 200
    page = applicant_client.get(reverse("certificates:detail", args=[certificate.number]))
    assert b"can no longer be downloaded" in page.content


def test_detail_polls_while_rendering_then_offers_the_download(
    certificate: Certificate, coordinator_client: Client
) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(render_state=RenderState.PENDING)
    status_url = reverse("certificates:status", args=[certificate.number])
    pending = coordinator_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in pending
    assert "Download" not in pending
    Certificate.objects.filter(pk=certificate.pk).update(render_state=RenderState.DONE)
    done = coordinator_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in done
    assert reverse("certificates:download", args=[certificate.number]) in done


def test_issue_page_previews_then_issues(ready: Application, coordinator_client: Client) -> None:
    url = reverse("certificates:issue", args=[ready.pk])
    preview = coordinator_client.get(url)
    assert preview.status_code == 200
    assert b"Sign and issue" in preview.content
    response = coordinator_client.post(url)
    certificate = Certificate.objects.get(application=ready)
    assert response["Location"] == reverse("certificates:detail", args=[certificate.number])


def test_revoke_page(certificate: Certificate, coordinator_client: Client) -> None:
    url = reverse("certificates:revoke", args=[certificate.number])
    assert coordinator_client.post(url, {"reason": ""}).status_code == 422
    response = coordinator_client.post(url, {"reason": "Typo in the name"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Typo in the name"


def test_revoke_reason_is_public_so_phi_is_refused(
    certificate: Certificate, coordinator: Any, coordinator_client: Client
) -> None:
    phi = "Issued for the wrong case: Mrs. Canary Jane Doe, MRN 88442211."
    with pytest.raises(PhiDetected):
        svc.certificate_revoke(actor=coordinator, certificate=certificate, reason=phi)
    url = reverse("certificates:revoke", args=[certificate.number])
    response = coordinator_client.post(url, {"reason": phi})
    assert response.status_code == 422
    assert "Possible patient identifiers" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    name = certificate.application.applicant.get_full_name()
    svc.certificate_revoke(
        actor=coordinator, certificate=certificate, reason=f"Issued to {name} by mistake."
    )


def test_certificate_list_query_count(
    certificate: Certificate, coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(reverse("certificates:list"))
    for _ in range(3):
        other = completed_application()
        Certificate.objects.create(
            number=svc.new_number(),
            application=other,
            hours=1,
            issued_by=certificate.issued_by,
            payload={},
            signature="x",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = coordinator_client.get(reverse("certificates:list"))
    assert response.content.count(b"MW-") >= 4


# --- API ------------------------------------------------------------------------------


def test_api_returns_facts_and_validity(certificate: Certificate, anonymous: Client) -> None:
    response = anonymous.get(f"/api/v1/certificates/{certificate.number}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == certificate.number
    assert body["valid"] is True and body["signature_valid"] is True
    assert body["revoked"] is False and body["revoked_reason"] == ""
    assert body["facts"] == certificate.payload


def test_api_unknown_number_is_404(anonymous: Client, db: None) -> None:
    response = anonymous.get("/api/v1/certificates/MW-ZZZZZZZZZZ")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_says_revoked(certificate: Certificate, anonymous: Client, coordinator: Any) -> None:
    svc.certificate_revoke(actor=coordinator, certificate=certificate, reason="Duplicate")
    body = anonymous.get(f"/api/v1/certificates/{certificate.number}").json()
    assert body["valid"] is False and body["revoked"] is True
    assert body["revoked_reason"] == "Duplicate"


# --- verify_certificate command -------------------------------------------------------


def _export_pdf(certificate: Certificate, tmp_path: Path) -> Path:
    certificate.refresh_from_db()
    path = tmp_path / "certificate.pdf"
    with certificate.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def test_command_verifies_a_pdf(certificate: Certificate, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("verify_certificate", str(_export_pdf(certificate, tmp_path)), stdout=out)
    assert "VALID" in out.getvalue()
    assert certificate.number in out.getvalue()


def test_command_verifies_a_number_with_an_explicit_public_key(
    certificate: Certificate, tmp_path: Path
) -> None:
    from matchway.core import signing

    key_file = tmp_path / "public.pem"
    key_file.write_text(signing.public_key_pem(signing.current_public_key()))
    out = io.StringIO()
    call_command("verify_certificate", certificate.number, public_key=str(key_file), stdout=out)
    assert "VALID" in out.getvalue()
    other = tmp_path / "other.pem"
    other.write_text(signing.public_key_pem(Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(CommandError) as failure:
        call_command("verify_certificate", certificate.number, public_key=str(other), stdout=out)
    assert failure.value.returncode == 1


def test_command_fails_for_revoked_tampered_and_unknown(
    certificate: Certificate, coordinator: Any, tmp_path: Path
) -> None:
    pdf_path = _export_pdf(certificate, tmp_path)
    Certificate.objects.filter(pk=certificate.pk).update(
        payload={**certificate.payload, "applicant_name": "Someone Else"}
    )
    with pytest.raises(CommandError) as tampered:
        call_command("verify_certificate", str(pdf_path), stdout=io.StringIO())
    assert tampered.value.returncode == 1
    Certificate.objects.filter(pk=certificate.pk).update(payload=certificate.payload)
    svc.certificate_revoke(actor=coordinator, certificate=certificate, reason="Error")
    with pytest.raises(CommandError) as revoked:
        call_command("verify_certificate", certificate.number, stdout=io.StringIO())
    assert revoked.value.returncode == 1
    with pytest.raises(CommandError) as unknown:
        call_command("verify_certificate", "MW-ZZZZZZZZZZ", stdout=io.StringIO())
    assert unknown.value.returncode == 1


def test_command_rejects_a_pdf_that_shows_other_facts(
    certificate: Certificate, tmp_path: Path
) -> None:
    from matchway.experience.pdf import certificate_pdf

    forged = certificate_pdf(
        {**certificate.payload, "confirmed_hours": "999.0"},
        verify_url="https://x.example/",
        public_key_url="https://x.example/key",
    )
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_certificate", str(path), stdout=out)
    assert failure.value.returncode == 1
    assert "confirmed hours" in out.getvalue()


def test_command_reports_unreadable_input(tmp_path: Path, db: None) -> None:
    path = tmp_path / "not.pdf"
    path.write_bytes(b"hello")
    with pytest.raises(CommandError) as failure:
        call_command("verify_certificate", str(path), stdout=io.StringIO())
    assert failure.value.returncode == 2
