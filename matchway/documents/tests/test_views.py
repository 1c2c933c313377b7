from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.documents.models import Document, DocumentStatus
from matchway.documents.services import document_verify

from . import samples
from .factories import upload_document

pytestmark = pytest.mark.django_db

VAULT = "/documents/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _pdf(name: str = "cv.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or samples.make_pdf(), content_type="application/pdf")


# --- Vault ------------------------------------------------------------------------------------


def test_vault_url() -> None:
    assert reverse("documents:vault") == VAULT


def test_empty_vault_lists_every_type_with_an_empty_state(
    applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.get(VAULT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your vault is empty" in html
    assert 'id="type-passport"' in html
    assert 'id="type-hipaa_training"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "js/documents.js" in html


def test_vault_shows_status_expiry_reason_and_history_link(
    applicant: Any, coordinator: Any, applicant_client: Client, reference_data: None
) -> None:
    from matchway.documents.services import document_reject

    expires = timezone.localdate() + timedelta(days=12)
    upload_document(applicant, "passport", expires_on=expires, name="passport.pdf")
    cv = upload_document(applicant, "cv", name="cv.pdf")
    document_reject(actor=coordinator, document=cv, reason="Please add your phone number.")
    html = applicant_client.get(VAULT).content.decode()
    assert "Your vault is empty" not in html
    assert "Expires soon" in html
    assert expires.strftime("%b %-d, %Y") in html
    assert "Please add your phone number." in html
    assert reverse("documents:history", args=["cv"]) in html
    assert reverse("documents:download", args=[cv.pk]) in html


def test_vault_query_count_does_not_grow_with_documents(
    applicant: Any,
    applicant_client: Client,
    reference_data: None,
    django_assert_num_queries: Any,
) -> None:
    upload_document(applicant, "cv")
    # Warm-up: the header's unread-message count is cached per user (messaging), so the
    # pinned count is a warm page's.
    applicant_client.get(VAULT)
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(5) as few:
        applicant_client.get(VAULT)
    for code in ("usmle_step1", "usmle_step2ck", "ecfmg_status", "hipaa_training"):
        upload_document(applicant, code)
        upload_document(applicant, code)
    with django_assert_num_queries(len(few.captured_queries)):
        applicant_client.get(VAULT)


@pytest.mark.parametrize("who", ["coordinator_client", "preceptor_client"])
def test_vault_is_for_applicants(who: str, request: pytest.FixtureRequest) -> None:
    client: Client = request.getfixturevalue(who)
    assert client.get(VAULT).status_code == 403


# --- Upload ------------------------------------------------------------------------------------


def test_upload_form_stores_a_version_and_redirects(
    applicant: Any, applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.post(
        reverse("documents:upload"), {"type": "cv", "cv-file": _pdf("My CV.pdf")}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{VAULT}#type-cv"
    document = Document.objects.get(owner=applicant)
    assert document.original_name == "My CV.pdf"
    assert document.status == DocumentStatus.UPLOADED
    page = applicant_client.get(VAULT).content.decode()
    assert "uploaded. A coordinator will review it." in page


def test_refused_file_shows_the_reason_beside_the_field_and_keeps_the_dates(
    applicant_client: Client, reference_data: None, stored_files: Callable[[], set[str]]
) -> None:
    today = timezone.localdate()
    issued, expires = today - timedelta(days=30), today + timedelta(days=900)
    before = stored_files()
    response = applicant_client.post(
        reverse("documents:upload"),
        {
            "type": "passport",
            "passport-file": SimpleUploadedFile("passport.pdf", samples.HTML_PAGE),
            "passport-issued_on": issued.isoformat(),
            "passport-expires_on": expires.isoformat(),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_passport-file_error"' in html
    assert "This file is not a PDF, JPEG or PNG: it looks like an HTML page." in html
    assert f'value="{issued.isoformat()}"' in html
    assert f'value="{expires.isoformat()}"' in html
    assert "Your Passport (photo page) was not uploaded." in html
    assert '<details class="doc-upload" open>' in html
    assert not Document.objects.exists()
    assert stored_files() == before


def test_missing_expiry_is_shown_beside_the_expiry_field(
    applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.post(
        reverse("documents:upload"),
        {"type": "passport", "passport-file": _pdf("passport.pdf")},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_passport-expires_on_error"' in html
    assert not Document.objects.exists()


def test_too_old_document_error_is_beside_the_issue_date(
    applicant_client: Client, reference_data: None
) -> None:
    old = (timezone.localdate() - timedelta(days=400)).isoformat()
    response = applicant_client.post(
        reverse("documents:upload"),
        {"type": "tb_test", "tb_test-file": _pdf(), "tb_test-issued_on": old},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_tb_test-issued_on_error"' in html
    assert f'value="{old}"' in html


def test_upload_without_a_file_says_so(applicant_client: Client, reference_data: None) -> None:
    response = applicant_client.post(reverse("documents:upload"), {"type": "cv"})
    assert response.status_code == 422
    assert 'id="id_cv-file_error"' in response.content.decode()


def test_unknown_type_is_refused_without_a_crash(
    applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.post(
        reverse("documents:upload"), {"type": "nope", "nope-file": _pdf()}
    )
    assert response.status_code == 422
    assert "Choose a document type from the list." in response.content.decode()
    xhr = applicant_client.post(
        reverse("documents:upload"), {"type": "nope", "nope-file": _pdf()}, **XHR
    )
    assert xhr.status_code == 422
    assert xhr["Content-Type"].startswith("text/plain")


def test_xhr_upload_returns_just_the_card(applicant_client: Client, reference_data: None) -> None:
    response = applicant_client.post(
        reverse("documents:upload"), {"type": "cv", "cv-file": _pdf()}, **XHR
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<article class="doc-card')
    assert "<html" not in html
    assert "uploaded. A coordinator will review it." in html
    assert "Waiting for review" in html


def test_xhr_upload_error_returns_the_card_with_the_error(
    applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.post(
        reverse("documents:upload"),
        {"type": "cv", "cv-file": SimpleUploadedFile("cv.pdf", samples.make_encrypted_pdf())},
        **XHR,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.strip().startswith('<article class="doc-card')
    assert "password-protected" in html


def test_coordinator_cannot_upload(coordinator_client: Client, reference_data: None) -> None:
    response = coordinator_client.post(
        reverse("documents:upload"), {"type": "cv", "cv-file": _pdf()}
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


# --- History ------------------------------------------------------------------------------------


def test_history_lists_every_version_newest_first(
    applicant: Any, applicant_client: Client, reference_data: None
) -> None:
    first = upload_document(applicant, "cv", name="first.pdf")
    second = upload_document(applicant, "cv", name="second.pdf")
    html = applicant_client.get(reverse("documents:history", args=["cv"])).content.decode()
    assert html.index("second.pdf") < html.index("first.pdf")
    assert reverse("documents:download", args=[first.pk]) in html
    assert reverse("documents:download", args=[second.pk]) in html


def test_history_empty_state_and_unknown_type(
    applicant_client: Client, reference_data: None
) -> None:
    html = applicant_client.get(reverse("documents:history", args=["photo"])).content.decode()
    assert "No Photo (headshot) uploaded yet" in html
    assert applicant_client.get(reverse("documents:history", args=["nope"])).status_code == 404


def test_history_shows_only_the_applicants_own_versions(
    outsider: Any, applicant_client: Client, reference_data: None
) -> None:
    upload_document(outsider, "cv", name="charlie-cv.pdf")
    html = applicant_client.get(reverse("documents:history", args=["cv"])).content.decode()
    assert "charlie-cv.pdf" not in html


# --- Review queue -------------------------------------------------------------------------------


def _applicants_with_uploads(count: int) -> list[Document]:
    return [
        upload_document(UserFactory(role="applicant", full_name=f"Person {n}"), "cv")
        for n in range(count)
    ]


def test_review_queue_lists_waiting_documents(
    coordinator_client: Client, reference_data: None
) -> None:
    documents = _applicants_with_uploads(2)
    html = coordinator_client.get(reverse("documents:review")).content.decode()
    for document in documents:
        assert f'id="doc-{document.pk}"' in html
        assert reverse("documents:verify", args=[document.pk]) in html
    assert "2 documents" in html


def test_review_queue_empty_state(coordinator_client: Client, reference_data: None) -> None:
    html = coordinator_client.get(reverse("documents:review")).content.decode()
    assert "Nothing to review" in html


def test_review_queue_filters_and_paginates(
    coordinator: Any, coordinator_client: Client, reference_data: None
) -> None:
    documents = _applicants_with_uploads(27)
    document_verify(actor=coordinator, document=documents[0])
    page1 = coordinator_client.get(reverse("documents:review")).content.decode()
    assert "26 documents" in page1
    assert "Page 1 of 2" in page1
    page2 = coordinator_client.get(reverse("documents:review") + "?page=2").content.decode()
    assert page2.count('class="review-item"') == 1
    verified = coordinator_client.get(reverse("documents:review") + "?status=verified")
    assert f'id="doc-{documents[0].pk}"' in verified.content.decode()
    assert "1 document" in verified.content.decode()
    by_name = coordinator_client.get(reverse("documents:review") + "?status=all&q=Person+3")
    assert f'id="doc-{documents[3].pk}"' in by_name.content.decode()
    by_type = coordinator_client.get(reverse("documents:review") + "?type=photo")
    assert "Nothing to review" in by_type.content.decode()


def test_review_queue_query_count_is_pinned(
    coordinator_client: Client, reference_data: None, django_assert_num_queries: Any
) -> None:
    _applicants_with_uploads(2)
    # Warm-up: the header's unread-message count is cached per user (messaging), so the
    # pinned count is a warm page's.
    coordinator_client.get(reverse("documents:review"))
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(5) as few:
        coordinator_client.get(reverse("documents:review"))
    _applicants_with_uploads(20)
    with django_assert_num_queries(len(few.captured_queries)):
        coordinator_client.get(reverse("documents:review"))


def test_review_is_for_coordinators(applicant_client: Client, preceptor_client: Client) -> None:
    assert applicant_client.get(reverse("documents:review")).status_code == 403
    assert preceptor_client.get(reverse("documents:review")).status_code == 403


def test_verify_redirects_back_to_the_filtered_queue(
    applicant: Any, coordinator_client: Client, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    back = reverse("documents:review") + "?type=cv"
    response = coordinator_client.post(
        reverse("documents:verify", args=[document.pk]), {"next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    document.refresh_from_db()
    assert document.status == DocumentStatus.VERIFIED


def test_verify_ignores_an_offsite_next(
    applicant: Any, coordinator_client: Client, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    response = coordinator_client.post(
        reverse("documents:verify", args=[document.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("documents:review")


def test_htmx_verify_returns_the_item(
    applicant: Any, coordinator_client: Client, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    response = coordinator_client.post(
        reverse("documents:verify", args=[document.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<article class="review-item" id="doc-{document.pk}"')
    assert "verified." in html


def test_verify_twice_shows_a_message_not_an_error_page(
    applicant: Any, coordinator: Any, coordinator_client: Client, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    document_verify(actor=coordinator, document=document)
    response = coordinator_client.post(reverse("documents:verify", args=[document.pk]), follow=True)
    assert response.status_code == 200
    assert "already verified" in response.content.decode()
    htmx = coordinator_client.post(
        reverse("documents:verify", args=[document.pk]), HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 409
    assert "already verified" in htmx.content.decode()


def test_reject_without_reason_keeps_the_queue_and_shows_the_error(
    applicant: Any, coordinator_client: Client, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    response = coordinator_client.post(
        reverse("documents:reject", args=[document.pk]), {f"reject-{document.pk}-reason": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_reject-{document.pk}-reason_error"' in html
    assert "Tell the applicant why" in html
    assert html.count(f'id="doc-{document.pk}"') == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED


def test_reject_with_too_long_reason_keeps_the_text(
    applicant: Any, coordinator_client: Client, reference_data: None
) -> None:
    document = upload_document(applicant, "cv")
    reason = "Too blurry to read. " * 60
    response = coordinator_client.post(
        reverse("documents:reject", args=[document.pk]),
        {f"reject-{document.pk}-reason": reason},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Too blurry to read." in response.content.decode()


def test_reject_emails_the_applicant(
    applicant: Any,
    coordinator_client: Client,
    reference_data: None,
) -> None:
    document = upload_document(applicant, "cv")
    # The committing test client runs on-commit work (the email) after each request.
    response = coordinator_client.post(
        reverse("documents:reject", args=[document.pk]),
        {f"reject-{document.pk}-reason": "The scan is cut off."},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED
    assert len(mail.outbox) == 1
    assert "The scan is cut off." in mail.outbox[0].body


def test_review_actions_on_missing_documents_are_404(
    coordinator_client: Client, reference_data: None
) -> None:
    assert coordinator_client.post(reverse("documents:verify", args=[9999])).status_code == 404
    assert coordinator_client.post(reverse("documents:reject", args=[9999])).status_code == 404


# --- Dashboard ---------------------------------------------------------------------------------


def test_dashboard_panels(
    applicant: Any, applicant_client: Client, coordinator_client: Client, reference_data: None
) -> None:
    html = applicant_client.get(reverse("dashboard")).content.decode()
    assert "Upload your first document" in html
    upload_document(applicant, "cv")
    assert "1 waiting for review" in applicant_client.get(reverse("dashboard")).content.decode()
    coordinator_html = coordinator_client.get(reverse("dashboard")).content.decode()
    assert "1 document is waiting for review." in coordinator_html


def test_a_declared_body_far_over_every_limit_is_refused_before_parsing(
    applicant_client: Client, reference_data: None
) -> None:
    response = applicant_client.post(
        reverse("documents:upload"),
        {"type": "cv", "cv-file": _pdf()},
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "The file is larger than 10 MB." in response.content.decode()
    assert not Document.objects.exists()
    xhr = applicant_client.post(
        reverse("documents:upload"),
        {"type": "cv", "cv-file": _pdf()},
        CONTENT_LENGTH=str(500 * 1024 * 1024),
        **XHR,
    )
    assert xhr.status_code == 413
    assert xhr.content.decode() == "The file is larger than 10 MB."


def test_upload_still_checks_csrf(applicant: Any, reference_data: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.post(reverse("documents:upload"), {"type": "cv", "cv-file": _pdf()})
    assert response.status_code == 403
    assert not Document.objects.exists()
    client.get(reverse("documents:vault"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("documents:upload"),
        {"type": "cv", "cv-file": _pdf(), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_upload_form_carries_the_limits_for_the_browser(
    applicant_client: Client, reference_data: None
) -> None:
    html = applicant_client.get(VAULT).content.decode()
    assert 'data-max-bytes="2097152"' in html  # photo: 2 MB
    assert "The file is larger than 2 MB." in html
    assert 'accept=".jpg,.jpeg,.png,image/jpeg,image/png"' in html
