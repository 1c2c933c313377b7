"""Messages on an application: who may read and write, the PHI guard, attachments,
unread counts, the inbox, assignment and emails."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent
from matchway.documents.tests.samples import make_pdf
from matchway.messaging import selectors, services
from matchway.messaging.models import Message, Thread
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

PHI_BODY = "Mrs. Canary Testperson, MRN 99887766, asked about her results."


def _client(user: Any) -> Client:
    from conftest import _client_for

    return _client_for(user)


def _url(application: Any) -> str:
    return reverse("messaging:thread", args=[application.pk])


def _api(application: Any) -> str:
    return f"/api/v1/applications/{application.pk}/messages"


def _post(user: Any, application: Any, body: str, django_capture_on_commit_callbacks: Any) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return services.message_post(actor=user, application=application, body=body)


# --- Access -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_participants_read_and_write_the_thread(
    application: Any, applicant_client: Client, coordinator_client: Client
) -> None:
    response = applicant_client.post(_url(application), {"body": "When should I arrive?"})
    assert response.status_code == 302
    page = coordinator_client.get(_url(application))
    assert page.status_code == 200
    assert "When should I arrive?" in page.content.decode()
    response = coordinator_client.post(_url(application), {"body": "At 8 am, lobby B."})
    assert response.status_code == 302
    assert list(Message.objects.values_list("body", flat=True)) == [
        "When should I arrive?",
        "At 8 am, lobby B.",
    ]


@pytest.mark.django_db
def test_strangers_get_404_on_page_api_and_attachment(
    application: Any,
    applicant: Any,
    outsider_client: Client,
    anonymous: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_post(
            actor=applicant,
            application=application,
            body="My CV",
            attachment=SimpleUploadedFile("cv.pdf", make_pdf()),
            attachment_name="cv.pdf",
        )
    other_preceptor = UserFactory(role="preceptor")
    other_session = RotationSessionFactory()
    other_session.rotation.preceptors.set([other_preceptor])
    ApplicationFactory(session=other_session, status=ApplicationStatus.CONFIRMED)
    attachment_url = reverse("messaging:attachment", args=[message.pk])
    for client in (outsider_client, _client(other_preceptor), anonymous):
        assert client.get(_url(application)).status_code == 404
        assert client.post(_url(application), {"body": "hi"}).status_code == 404
        assert client.get(attachment_url).status_code == 404
    for client in (outsider_client, _client(other_preceptor)):
        assert client.get(_api(application)).status_code == 404
        response = client.post(
            _api(application), json.dumps({"body": "hi"}), content_type="application/json"
        )
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    # Anonymous API callers are told to authenticate, before any lookup (like every
    # non-public operation): nothing about the id is revealed.
    assert anonymous.get(_api(application)).status_code == 401
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_preceptor_joins_only_once_confirmed(
    application: Any, preceptor_client: Client, applicant: Any
) -> None:
    assert preceptor_client.get(_url(application)).status_code == 404
    assert preceptor_client.get(_api(application)).status_code == 404
    application.status = ApplicationStatus.CONFIRMED
    application.save()
    assert preceptor_client.get(_url(application)).status_code == 200
    assert preceptor_client.post(_url(application), {"body": "See you Monday."}).status_code == 302
    for status in (ApplicationStatus.IN_PROGRESS, ApplicationStatus.COMPLETED):
        application.status = status
        application.save()
        assert preceptor_client.get(_url(application)).status_code == 200


# --- PHI guard ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_phi_is_refused_with_findings_and_the_text_kept(
    application: Any, applicant_client: Client, mailoutbox: list[Any]
) -> None:
    response = applicant_client.post(_url(application), {"body": PHI_BODY})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Possible patient identifiers" in html
    assert "MRN 99887766" in html  # the finding is named
    assert "Canary Testperson, MRN 99887766, asked about" in html  # the text stays in the form
    assert Message.objects.count() == 0
    assert Thread.objects.count() == 0
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="message.posted").exists()


@pytest.mark.django_db
def test_naming_the_people_in_the_conversation_and_physicians_is_not_phi(
    application: Any, applicant: Any, applicant_client: Client
) -> None:
    """A message greets people: the applicant's own name and "Dr. Rivera" are not patients."""
    body = f"Dear Dr. Rivera, this is {applicant.get_full_name()}. Where do I meet you?"
    response = applicant_client.post(_url(application), {"body": body})
    assert response.status_code == 302
    assert Message.objects.get().body == body


@pytest.mark.django_db
def test_phi_with_htmx_answers_the_conversation_fragment(
    application: Any, applicant_client: Client
) -> None:
    response = applicant_client.post(_url(application), {"body": PHI_BODY}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="conversation"' in html and "<html" not in html
    assert "Possible patient identifiers" in html
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_api_answers_422_phi_detected_with_findings(
    application: Any, applicant_client: Client
) -> None:
    response = applicant_client.post(
        _api(application), json.dumps({"body": PHI_BODY}), content_type="application/json"
    )
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "phi_detected"
    assert any(f["field"] == "body" and "99887766" in f["text"] for f in data["findings"])
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_api_lists_and_creates(
    application: Any, applicant_client: Client, coordinator_client: Client
) -> None:
    assert applicant_client.get(_api(application)).json() == {"items": [], "count": 0}
    response = applicant_client.post(
        _api(application),
        json.dumps({"body": "Is parking available?"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["body"] == "Is parking available?"
    listed = coordinator_client.get(_api(application)).json()
    assert listed["count"] == 1
    assert listed["items"][0]["author"]["role"] == "applicant"
    assert listed["items"][0]["attachment_url"] is None


# --- Attachments --------------------------------------------------------------------------


@pytest.mark.django_db
def test_renamed_non_pdf_is_refused_and_nothing_stored(
    application: Any, applicant_client: Client
) -> None:
    fake = SimpleUploadedFile("scan.pdf", b"<html><body>not a pdf</body></html>", "application/pdf")
    response = applicant_client.post(_url(application), {"body": "Here it is", "attachment": fake})
    assert response.status_code == 200
    assert "it looks like an HTML page" in response.content.decode()
    assert "Here it is" in response.content.decode()
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_pdf_attachment_is_stored_privately_and_downloaded_by_participants(
    application: Any, applicant_client: Client, coordinator_client: Client
) -> None:
    pdf = SimpleUploadedFile("Visa form.pdf", make_pdf(), "application/pdf")
    assert (
        applicant_client.post(_url(application), {"body": "Form", "attachment": pdf}).status_code
        == 302
    )
    message = Message.objects.get()
    assert message.attachment.name.startswith(f"messages/{application.pk}/")
    assert "Visa" not in message.attachment.name
    assert message.attachment_name == "Visa form.pdf"
    response = coordinator_client.get(reverse("messaging:attachment", args=[message.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="message.attachment_downloaded").count() == 1


@pytest.mark.django_db
def test_attachment_name_with_phi_is_replaced_and_never_audited(
    application: Any, applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_post(
            actor=applicant,
            application=application,
            body="The form",
            attachment=SimpleUploadedFile("x.pdf", make_pdf()),
            attachment_name="John Smith MRN 12345678.pdf",
        )
    assert message.attachment_name == "attachment.pdf"
    event = AuditEvent.objects.get(action="message.posted")
    dumped = json.dumps(event.data) + event.target_label
    assert "12345678" not in dumped and "The form" not in dumped


# --- Unread counts ------------------------------------------------------------------------


@pytest.mark.django_db
def test_unread_counts_follow_messages_and_reads(
    application: Any,
    applicant: Any,
    coordinator: Any,
    applicant_client: Client,
    coordinator_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert selectors.unread_thread_count(coordinator) == 0
    _post(applicant, application, "Question one", django_capture_on_commit_callbacks)
    assert selectors.unread_thread_count(coordinator) == 1
    assert selectors.unread_thread_count(applicant) == 0  # own message
    # The header shows it.
    html = coordinator_client.get(reverse("messaging:inbox")).content.decode()
    assert 'class="count-badge" aria-hidden="true">1<' in html
    coordinator_client.get(_url(application))  # reading clears it
    assert selectors.unread_thread_count(coordinator) == 0
    _post(coordinator, application, "Answer", django_capture_on_commit_callbacks)
    assert selectors.unread_thread_count(applicant) == 1
    applicant_client.get(_url(application))
    assert selectors.unread_thread_count(applicant) == 0


@pytest.mark.django_db
def test_warm_unread_count_costs_no_query(
    application: Any,
    applicant: Any,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
    django_assert_num_queries: Any,
) -> None:
    _post(applicant, application, "Hello", django_capture_on_commit_callbacks)
    assert selectors.unread_thread_count(coordinator) == 1  # cold: one COUNT
    with django_assert_num_queries(0):
        assert selectors.unread_thread_count(coordinator) == 1


# --- Inbox --------------------------------------------------------------------------------


@pytest.fixture
def three_threads(
    applicant: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    answered = ApplicationFactory(applicant=applicant)
    waiting = ApplicationFactory()
    mine = ApplicationFactory()
    _post(applicant, answered, "Q", django_capture_on_commit_callbacks)
    _post(coordinator, answered, "A", django_capture_on_commit_callbacks)
    _post(waiting.applicant, waiting, "Still there?", django_capture_on_commit_callbacks)
    _post(coordinator, mine, "Welcome", django_capture_on_commit_callbacks)
    services.thread_assign(actor=coordinator, thread=mine.thread, assignee=coordinator)
    return {"answered": answered, "waiting": waiting, "mine": mine}


def _inbox_ids(client: Client, show: str = "") -> list[int]:
    response = client.get(reverse("messaging:inbox"), {"show": show} if show else {})
    assert response.status_code == 200
    return [t.application_id for t in response.context["page"].object_list]


@pytest.mark.django_db
def test_inbox_filters_and_unanswered_first(
    three_threads: dict[str, Any], coordinator_client: Client
) -> None:
    t = three_threads
    ids = _inbox_ids(coordinator_client)
    assert ids[0] == t["waiting"].pk  # unanswered first, though not the newest
    assert set(ids) == {a.pk for a in t.values()}
    assert _inbox_ids(coordinator_client, "unanswered") == [t["waiting"].pk]
    assert _inbox_ids(coordinator_client, "mine") == [t["mine"].pk]
    assert set(_inbox_ids(coordinator_client, "unassigned")) == {t["answered"].pk, t["waiting"].pk}


@pytest.mark.django_db
def test_applicant_inbox_lists_only_their_threads(
    three_threads: dict[str, Any], applicant_client: Client
) -> None:
    assert _inbox_ids(applicant_client, "unassigned") == [three_threads["answered"].pk]


@pytest.mark.django_db
def test_inbox_query_count_is_pinned(
    three_threads: dict[str, Any],
    coordinator_client: Client,
    django_assert_num_queries: Any,
) -> None:
    url = reverse("messaging:inbox")
    coordinator_client.get(url)  # warm up: session, user, cached unread count
    # session + user + page count + page rows (joins, unread annotation); the header's unread
    # count comes from the cache. More threads must not add queries.
    with django_assert_num_queries(4):
        coordinator_client.get(url)
    ApplicationFactory.create_batch(3)
    for extra in ApplicationFactory.create_batch(3):
        services.message_post(actor=extra.applicant, application=extra, body="Hi")
    coordinator_client.get(url)
    with django_assert_num_queries(4):
        coordinator_client.get(url)


# --- Assignment ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_assignment_is_audited_and_coordinators_only(
    application: Any,
    applicant: Any,
    coordinator: Any,
    coordinator_client: Client,
    applicant_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _post(applicant, application, "Hello", django_capture_on_commit_callbacks)
    url = reverse("messaging:assign", args=[application.pk])
    assert applicant_client.post(url, {"assigned_to": coordinator.pk}).status_code == 403
    response = coordinator_client.post(url, {"assigned_to": coordinator.pk})
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.assigned_to == coordinator
    event = AuditEvent.objects.get(action="thread.assigned")
    assert event.data == {"from": None, "to": coordinator.pk}
    coordinator_client.post(url, {"assigned_to": coordinator.pk})  # no change, no event
    assert AuditEvent.objects.filter(action="thread.assigned").count() == 1
    assert coordinator_client.post(url, {"assigned_to": applicant.pk}).status_code == 302
    thread.refresh_from_db()
    assert thread.assigned_to == coordinator  # an applicant is not a choice


# --- Emails -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_emails_go_to_the_other_side_after_commit(
    confirmed: Any,
    applicant: Any,
    coordinator: Any,
    preceptor: Any,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    second = UserFactory(role="coordinator", email="dan@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.message_post(actor=applicant, application=confirmed, body="See you soon.")
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([coordinator.email, second.email, preceptor.email])
    mail = mailoutbox[0]
    assert "See you soon" not in mail.subject
    assert "See you soon." in mail.body
    assert reverse("messaging:thread", args=[confirmed.pk]).replace("/", "%2F") in mail.body


@pytest.mark.django_db
def test_assigned_thread_emails_only_the_assignee(
    application: Any,
    applicant: Any,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    UserFactory(role="coordinator", email="dan@example.com")
    _post(applicant, application, "First", django_capture_on_commit_callbacks)
    services.thread_assign(actor=coordinator, thread=application.thread, assignee=coordinator)
    mailoutbox.clear()
    _post(applicant, application, "Second", django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    mailoutbox.clear()
    _post(coordinator, application, "Reply", django_capture_on_commit_callbacks)
    # Not confirmed yet: the rotation's preceptor has not joined.
    assert [m.to for m in mailoutbox] == [[applicant.email]]


@pytest.mark.django_db
def test_demo_seed_is_idempotent(application: Any, applicant: Any, coordinator: Any) -> None:
    import io

    from matchway.messaging import demo

    context = {
        "users": {"applicant": applicant, "coordinator": coordinator},
        "stdout": io.StringIO(),
    }
    demo.seed(context)
    demo.seed(context)
    assert Message.objects.count() == 2
    assert Thread.objects.get().awaiting_reply is False


@pytest.mark.django_db
def test_export_and_erasure(
    application: Any, applicant: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from matchway.messaging import erasure, export

    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_post(
            actor=applicant,
            application=application,
            body="My CV",
            attachment=SimpleUploadedFile("cv.pdf", make_pdf()),
            attachment_name="cv.pdf",
        )
    _post(coordinator, application, "Thanks", django_capture_on_commit_callbacks)
    rows = export.export(applicant)["messages"]
    assert [(r["body"], r["by_you"]) for r in rows] == [("My CV", True), ("Thanks", False)]
    storage = message.attachment.storage
    name = message.attachment.name
    assert storage.exists(name)
    assert erasure.erase(applicant) == {"message_threads": 1, "messages": 2}
    assert not storage.exists(name)
    assert Message.objects.count() == 0
