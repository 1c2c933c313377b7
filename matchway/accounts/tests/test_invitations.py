import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchway.accounts.models import Invitation, PreceptorProfile, User
from matchway.core.models import AuditEvent, OneTimeToken

pytestmark = pytest.mark.django_db


def _invite(client, mailoutbox, email="newdoc@example.com", role="preceptor"):
    response = client.post(
        reverse("accounts:invitations"),
        {"full_name": "Dr. New Doc", "email": email, "role": role},
    )
    assert response.status_code == 302
    message = mailoutbox[-1]
    link = re.search(r"http://\S+/accounts/invite/(\S+)/", message.body)
    assert link
    return message, link.group(0).replace("http://127.0.0.1:8000", "")


def test_invitation_email_has_text_and_html(coordinator_client, mailoutbox):
    message, _link = _invite(coordinator_client, mailoutbox)
    assert message.to == ["newdoc@example.com"]
    assert "Carol Chen invited you" in message.subject
    html = message.alternatives[0]
    assert html[1] == "text/html"
    assert "Accept the invitation" in html[0]


def test_accepting_creates_a_preceptor_and_signs_in(coordinator_client, mailoutbox, client):
    _message, path = _invite(coordinator_client, mailoutbox)
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(path, {"full_name": "Dr. New Doc", "password": "a-long-secure-pass-42"})
    assert done.status_code == 302
    user = User.objects.get(email="newdoc@example.com")
    assert user.role == "preceptor"
    assert PreceptorProfile.objects.filter(user=user).exists()
    assert Invitation.objects.get().accepted_user == user
    assert AuditEvent.objects.filter(action="invitation.accepted").exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_invitation_link_is_single_use(coordinator_client, mailoutbox, client):
    _message, path = _invite(coordinator_client, mailoutbox)
    client.post(path, {"full_name": "Dr. New Doc", "password": "a-long-secure-pass-42"})
    client.logout()
    assert client.get(path).status_code == 404


def test_expired_invitation_is_refused(coordinator_client, mailoutbox, client):
    _message, path = _invite(coordinator_client, mailoutbox)
    OneTimeToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(path).status_code == 404
    response = client.post(path, {"full_name": "X", "password": "a-long-secure-pass-42"})
    assert response.status_code == 404
    assert not User.objects.filter(email="newdoc@example.com").exists()


def test_weak_password_keeps_the_form(coordinator_client, mailoutbox, client):
    _message, path = _invite(coordinator_client, mailoutbox)
    response = client.post(path, {"full_name": "Dr. Typed Name", "password": "1234567890"})
    assert response.status_code == 200
    assert b"Dr. Typed Name" in response.content
    assert not User.objects.filter(email="newdoc@example.com").exists()


def test_cannot_invite_an_existing_account(coordinator_client, applicant):
    response = coordinator_client.post(
        reverse("accounts:invitations"),
        {"full_name": "Alice", "email": "ALICE@example.com", "role": "preceptor"},
    )
    assert response.status_code == 200
    assert b"already has an account" in response.content
    assert not Invitation.objects.exists()


def test_only_coordinators_invite(applicant_client, preceptor_client):
    data = {"full_name": "X", "email": "x@example.com", "role": "coordinator"}
    assert applicant_client.post(reverse("accounts:invitations"), data).status_code == 403
    assert preceptor_client.post(reverse("accounts:invitations"), data).status_code == 403
    assert not Invitation.objects.exists()


def test_resend_after_a_failed_email_sends_a_new_working_link(
    coordinator, coordinator_client, smtp_server, client, settings
):
    """An invitation whose email failed (mail server down) can be sent again; the new link
    works and the old one does not."""
    smtp_server.set_mode("down")
    response = coordinator_client.post(
        reverse("accounts:invitations"),
        {"full_name": "Dr. New Doc", "email": "newdoc@example.com", "role": "preceptor"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    smtp_server.set_mode("record")
    page = coordinator_client.get(reverse("accounts:invitations"))
    resend_url = reverse("accounts:invitation-resend", args=[invitation.pk])
    assert resend_url in page.content.decode()
    response = coordinator_client.post(resend_url)
    assert response.status_code == 302
    [received] = smtp_server.received
    assert received.recipients == ["newdoc@example.com"]
    body = received.message.get_payload(0).get_payload(decode=True).decode()
    path = re.search(r"http://\S+/accounts/invite/(\S+)/", body).group(0)
    path = path.replace("http://127.0.0.1:8000", "")
    assert client.get(path).status_code == 200
    assert AuditEvent.objects.filter(action="invitation.resent").count() == 1
    assert OneTimeToken.objects.filter(revoked_at__isnull=False).count() == 1


def test_resend_refuses_an_accepted_invitation(coordinator_client, mailoutbox, client):
    _message, path = _invite(coordinator_client, mailoutbox)
    client.post(path, {"full_name": "Dr. New Doc", "password": "a-long-secure-pass-42"})
    invitation = Invitation.objects.get()
    response = coordinator_client.post(
        reverse("accounts:invitation-resend", args=[invitation.pk]), follow=True
    )
    assert "already accepted" in response.content.decode()
    assert len(mailoutbox) == 1


def test_resend_is_for_coordinators_only(applicant_client, coordinator, coordinator_client):
    coordinator_client.post(
        reverse("accounts:invitations"),
        {"full_name": "Dr. New Doc", "email": "newdoc@example.com", "role": "preceptor"},
    )
    invitation = Invitation.objects.get()
    response = applicant_client.post(reverse("accounts:invitation-resend", args=[invitation.pk]))
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="invitation.resent").exists()
