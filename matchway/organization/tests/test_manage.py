"""The coordinator's provider page: identity, logo validation and serving, emails."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from matchway.core.audit import AuditEvent
from matchway.core.email import email_render
from matchway.organization.models import Organization

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Lakeside Clinical",
    "legal_name": "Lakeside Clinical Education LLC",
    "address": "12 Harbor Road\nPortland, ME 04101",
    "contact_email": "help@lakeside.example",
    "phone": "+1 207 555 0100",
    "website": "https://lakeside.example",
    "time_zone": "America/New_York",
    "bank_transfer_instructions": "",
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 20), (29, 111, 95)).save(out, "PNG")
    return out.getvalue()


def test_coordinator_saves_identity_and_logo(coordinator_client: Client, anonymous: Client) -> None:
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = coordinator_client.post("/manage/provider/", {**FORM, "logo_upload": logo})
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organization.objects.get()
    assert org.legal_name == "Lakeside Clinical Education LLC"
    assert org.logo_content_type == "image/png"
    event = AuditEvent.objects.get(action="organization.updated")
    assert "logo" in event.data["fields"] and "name" in event.data["fields"]

    home = anonymous.get("/").content.decode()
    assert "/provider/logo/?v=" in home and "Lakeside Clinical" in home
    served = anonymous.get("/provider/logo/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served.content.startswith(b"\x89PNG")


def test_a_renamed_non_image_is_refused(coordinator_client: Client) -> None:
    fake = SimpleUploadedFile(
        "logo.png", b"<svg onload=alert(1)></svg>" + b" " * 64, content_type="image/png"
    )
    response = coordinator_client.post("/manage/provider/", {**FORM, "logo_upload": fake})
    assert response.status_code == 200
    assert "not a PNG, JPEG or WebP image" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_truncated_png_is_refused(coordinator_client: Client) -> None:
    broken = SimpleUploadedFile("logo.png", _png()[:40], content_type="image/png")
    response = coordinator_client.post("/manage/provider/", {**FORM, "logo_upload": broken})
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()


def test_no_logo_answers_404(anonymous: Client) -> None:
    assert anonymous.get("/provider/logo/").status_code == 404


def test_other_roles_cannot_edit(applicant_client: Client, preceptor_client: Client) -> None:
    assert applicant_client.post("/manage/provider/", FORM).status_code == 403
    assert preceptor_client.get("/manage/provider/").status_code == 403
    assert not Organization.objects.exists()


def test_emails_carry_the_provider(coordinator: Any) -> None:
    Organization.objects.create(**{k: v for k, v in FORM.items() if v})
    _subject, text, html = email_render(
        "invitation",
        {
            "invitation": None,
            "inviter": coordinator,
            "link": "https://x.example/accounts/invite/t/",
            "role_label": "preceptor",
            "expires_at": None,
        },
    )
    assert "Lakeside Clinical Education LLC" in text and "12 Harbor Road" in text
    assert "Lakeside Clinical" in html and "help@lakeside.example" in html
