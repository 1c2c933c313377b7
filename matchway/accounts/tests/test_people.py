"""The coordinators' people page: list by role, search, pagination, deactivate (#17)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from matchway.accounts.services import api_token_create
from matchway.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from matchway.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PEOPLE = reverse("accounts:people")


def test_people_lists_everyone_by_role_with_search(coordinator_client, applicant, preceptor):
    UserFactory(role="preceptor", full_name="Priya Raman", email="praman@example.com")
    page = coordinator_client.get(PEOPLE).content.decode()
    assert applicant.email in page and preceptor.email in page
    preceptors = coordinator_client.get(PEOPLE, {"role": "preceptor"}).content.decode()
    assert preceptor.email in preceptors and "praman@example.com" in preceptors
    assert applicant.email not in preceptors
    by_name = coordinator_client.get(PEOPLE, {"q": "raman"}).content.decode()
    assert "praman@example.com" in by_name and preceptor.email not in by_name
    by_email = coordinator_client.get(PEOPLE, {"q": "PRAMAN@"}).content.decode()
    assert "Priya Raman" in by_email
    nobody = coordinator_client.get(PEOPLE, {"q": "zzz-nobody", "role": "bogus"})
    assert nobody.status_code == 200
    assert b"Nobody matches" in nobody.content


def test_people_paginates_with_a_constant_query_count(
    coordinator_client, coordinator, django_assert_num_queries
):
    UserFactory.create_batch(30, role="applicant")
    coordinator_client.get(PEOPLE)  # warm the session
    # session, user, count, page of people
    with django_assert_num_queries(4):
        first = coordinator_client.get(PEOPLE)
    assert first.content.count(b'data-label="Email"') == 25
    second = coordinator_client.get(PEOPLE, {"page": 2})
    assert second.content.count(b'data-label="Email"') == 6  # 30 + the coordinator


def test_people_is_for_coordinators_only(applicant_client, preceptor_client, anonymous):
    assert applicant_client.get(PEOPLE).status_code == 403
    assert preceptor_client.get(PEOPLE).status_code == 403
    assert anonymous.get(PEOPLE).status_code == 302
    target = UserFactory(role="applicant")
    url = reverse("accounts:person-deactivate", args=[target.pk])
    assert preceptor_client.post(url).status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_deactivate_confirms_then_locks_the_account_out(coordinator_client, coordinator):
    person = UserFactory(role="preceptor", email="leaving@example.com")
    raw, _token = api_token_create(user=person, name="script")
    api = Client()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    browser = Client()
    browser.post("/accounts/login/", {"login": person.email, "password": DEFAULT_PASSWORD})
    assert browser.get(reverse("accounts:profile")).status_code == 200
    url = reverse("accounts:person-deactivate", args=[person.pk])

    confirm = coordinator_client.get(url)
    assert confirm.status_code == 200
    assert b"Deactivate account" in confirm.content
    person.refresh_from_db()
    assert person.is_active  # the GET only asks

    done = coordinator_client.post(url, {"next": PEOPLE + "?role=preceptor"})
    assert done.status_code == 302
    assert done["Location"] == PEOPLE + "?role=preceptor"
    person.refresh_from_db()
    assert not person.is_active
    event = AuditEvent.objects.get(action="account.deactivated")
    assert event.actor == coordinator
    assert str(event.target_id) == str(person.pk)
    # Their open session ended, their token is refused, and they cannot sign in again.
    assert browser.get(reverse("accounts:profile")).status_code == 302
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all()
    )
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    again = Client()
    again.post("/accounts/login/", {"login": person.email, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in again.session
    assert again.get(reverse("accounts:profile")).status_code == 302


def test_reactivate_lets_them_back_in(coordinator_client, coordinator):
    person = UserFactory(role="preceptor", is_active=False)
    response = coordinator_client.post(reverse("accounts:person-reactivate", args=[person.pk]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert AuditEvent.objects.get(action="account.reactivated").actor == coordinator
    client = Client()
    client.post("/accounts/login/", {"login": person.email, "password": DEFAULT_PASSWORD})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_coordinator_cannot_deactivate_themselves(coordinator_client, coordinator):
    url = reverse("accounts:person-deactivate", args=[coordinator.pk])
    assert b"cannot deactivate your own account" in coordinator_client.get(url).content
    response = coordinator_client.post(url, follow=True)
    assert b"cannot deactivate your own account" in response.content
    coordinator.refresh_from_db()
    assert coordinator.is_active
    assert not AuditEvent.objects.filter(action="account.deactivated").exists()


def test_unknown_person_is_404(coordinator_client):
    assert (
        coordinator_client.get(reverse("accounts:person-deactivate", args=[999999])).status_code
        == 404
    )
    assert (
        coordinator_client.post(reverse("accounts:person-reactivate", args=[999999])).status_code
        == 404
    )


def test_next_cannot_send_the_coordinator_elsewhere(coordinator_client):
    person = UserFactory(role="applicant")
    url = reverse("accounts:person-deactivate", args=[person.pk])
    response = coordinator_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == PEOPLE
