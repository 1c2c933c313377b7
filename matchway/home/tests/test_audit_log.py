"""The coordinators' audit-log page (filters, access, query count)."""

import pytest
from django.urls import reverse

from matchway.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_audit_log_page_filters(coordinator_client, coordinator, applicant):
    audit_record(actor=applicant, action="document.downloaded", target=applicant)
    audit_record(actor=coordinator, action="application.accepted", target=applicant)
    url = reverse("home:audit-log")
    page = coordinator_client.get(url, {"action": "document."})
    assert page.status_code == 200
    assert b"document.downloaded" in page.content
    assert b"application.accepted" not in page.content
    by_actor = coordinator_client.get(url, {"actor": "carol"})
    assert b"application.accepted" in by_actor.content
    assert b"document.downloaded" not in by_actor.content


def test_audit_log_bad_date_gets_a_message_not_a_500(coordinator_client):
    page = coordinator_client.get(reverse("home:audit-log"), {"since": "yesterday"})
    assert page.status_code == 200
    assert b"Use the format YYYY-MM-DD." in page.content


def test_audit_log_is_for_coordinators_only(applicant_client, preceptor_client, anonymous):
    url = reverse("home:audit-log")
    assert applicant_client.get(url).status_code == 403
    assert preceptor_client.get(url).status_code == 403
    assert anonymous.get(url).status_code == 302


def test_audit_log_query_count_is_constant(
    coordinator_client, coordinator, applicant, django_assert_num_queries
):
    for i in range(30):
        audit_record(actor=applicant, action=f"thing.{i}", target=applicant)
    url = reverse("home:audit-log")
    coordinator_client.get(url)  # warm the session cache
    # +1: the session row (sessions live in the database, see docs/dev/sessions-and-limits.md)
    with django_assert_num_queries(4):
        response = coordinator_client.get(url)
    assert response.status_code == 200
