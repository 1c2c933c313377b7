"""The home page, the dashboard and the navigation every role sees."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_public_and_accessible(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'href="#main"' in html  # skip link
    assert '<main id="main"' in html
    assert "<script>" not in html  # CSP: no inline scripts
    assert "vendor/htmx/htmx.min.js" in html
    assert "https://" not in html.split("<body>")[0]  # no CDN assets in <head>


def test_dashboard_needs_login(anonymous):
    response = anonymous.get(reverse("dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["applicant", "preceptor", "coordinator"])
def test_dashboard_greets_each_role(persona, request):
    client: Client = request.getfixturevalue(f"{persona}_client")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert b"Welcome," in response.content


def test_coordinator_navigation_shows_staff_links(coordinator_client, applicant_client):
    assert b"Audit log" in coordinator_client.get("/").content
    assert b"Audit log" not in applicant_client.get("/").content


def test_user_timezone_is_used_for_display(applicant, applicant_client):
    applicant.timezone = "Asia/Kolkata"
    applicant.save()
    response = applicant_client.get("/")
    assert b"Asia/Kolkata" in response.content
