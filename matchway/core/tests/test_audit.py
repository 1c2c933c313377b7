import pytest
from django.urls import reverse

from matchway.core.audit import audit_record
from matchway.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_record_captures_who_what_where(rf, coordinator, applicant):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    event = audit_record(
        actor=coordinator, action="thing.done", target=applicant, data={"k": 1}, request=request
    )
    event.refresh_from_db()
    assert event.actor == coordinator
    assert event.actor_label == coordinator.email
    assert event.action == "thing.done"
    assert event.target_type == "accounts.user"
    assert event.target_id == str(applicant.pk)
    assert event.data == {"k": 1}
    assert event.ip == "203.0.113.9"
    assert event.created_at is not None


def test_anonymous_actor_is_recorded_without_user(applicant):
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action="token.used", target=applicant)
    assert event.actor is None
    assert event.actor_label == ""


def test_audit_log_keeps_the_label_after_the_actor_is_deleted(applicant):
    event = audit_record(actor=applicant, action="profile.updated", target=None)
    applicant.delete()
    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == "alice@example.com"


def test_admin_cannot_edit_the_audit_log(admin_client, applicant):
    event = audit_record(actor=applicant, action="x.y", target=applicant)
    change = admin_client.post(
        reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "forged"}
    )
    event.refresh_from_db()
    assert event.action == "x.y"
    assert change.status_code in (200, 403)
    assert AuditEvent.objects.count() >= 1
