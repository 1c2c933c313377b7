"""Versioned policy pages: publishing, scheduling, the public pages, sanitizing, sitemap."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from matchway.core.audit import AuditEvent
from matchway.core.exceptions import ValidationFailed
from matchway.organization.models import Organization, PolicyPage
from matchway.organization.selectors import policy_consent_versions, policy_current
from matchway.organization.services import policy_publish

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@time_machine.travel(T0, tick=False)
def test_not_published_yet_is_a_clear_200_page(anonymous: Client) -> None:
    Organization.objects.create(name="Lakeside Clinical", contact_email="help@lakeside.example")
    for path in ("/about/", "/contact/", "/privacy/", "/terms/", "/refunds/", "/accessibility/"):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        assert "Not published yet" in response.content.decode()
        assert "help@lakeside.example" in response.content.decode()


@time_machine.travel(T0, tick=False)
def test_versions_schedule_and_history(coordinator: Any, anonymous: Client) -> None:
    policy_publish(actor=coordinator, kind="privacy", body="First words.")
    later = T0 + dt.timedelta(days=10)
    v2 = policy_publish(actor=coordinator, kind="privacy", body="Second words.", effective_at=later)
    assert v2.version == 2

    page = anonymous.get("/privacy/").content.decode()
    assert "First words." in page and "Second words." not in page
    assert "Version 1, effective" in page
    # The scheduled version is not public yet, not even by its address.
    assert anonymous.get("/privacy/v2/").status_code == 404
    assert policy_consent_versions() == {"privacy": 1}

    with time_machine.travel(later + dt.timedelta(seconds=1), tick=False):
        page = anonymous.get("/privacy/").content.decode()
        assert "Second words." in page and "Version 2, effective" in page
        assert "Earlier versions" in page
        history = anonymous.get("/privacy/versions/").content.decode()
        assert "/privacy/v1/" in history and "/privacy/v2/" in history
        old = anonymous.get("/privacy/v1/").content.decode()
        assert "First words." in old and "no longer in effect" in old
        assert policy_consent_versions() == {"privacy": 2}  # the cached answer expired

    assert AuditEvent.objects.filter(action="policy_page.published").count() == 2


@time_machine.travel(T0, tick=False)
def test_no_backdating_and_versions_take_effect_in_order(coordinator: Any) -> None:
    with pytest.raises(ValidationFailed):
        policy_publish(
            actor=coordinator, kind="terms", body="x", effective_at=T0 - dt.timedelta(days=1)
        )
    policy_publish(actor=coordinator, kind="terms", body="a", effective_at=T0 + dt.timedelta(7))
    with pytest.raises(ValidationFailed):
        policy_publish(
            actor=coordinator, kind="terms", body="b", effective_at=T0 + dt.timedelta(days=3)
        )
    assert policy_current("terms") is None  # scheduled only


@time_machine.travel(T0, tick=False)
def test_script_in_markdown_never_renders(coordinator: Any, anonymous: Client) -> None:
    body = (
        "# About us\n\n<script>alert('x')</script>\n\n"
        "[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    policy_publish(actor=coordinator, kind="about", body=body)
    html = anonymous.get("/about/").content.decode()
    assert "alert(" not in html  # dropped with its content, not shown as text
    assert "onerror" not in html and "javascript:" not in html
    assert "<h2>About us</h2>" in html


@time_machine.travel(T0, tick=False)
def test_coordinator_publishes_a_new_version_never_edits(
    coordinator_client: Client, coordinator: Any
) -> None:
    policy_publish(actor=coordinator, kind="refunds", body="Old rule.")
    response = coordinator_client.post("/manage/provider/refunds/", {"body": "New rule."})
    assert response.status_code == 302
    pages = list(PolicyPage.objects.filter(kind="refunds").order_by("version"))
    assert [(p.version, p.body) for p in pages] == [(1, "Old rule."), (2, "New rule.")]
    # A past date is shown back beside the field, not a 500.
    response = coordinator_client.post(
        "/manage/provider/refunds/", {"body": "Backdated.", "effective_at": "2020-01-01T10:00"}
    )
    assert response.status_code == 200
    assert "The date is in the past" in response.content.decode()
    assert "Backdated." in response.content.decode()


def test_other_roles_cannot_publish(applicant_client: Client, anonymous: Client) -> None:
    assert applicant_client.post("/manage/provider/terms/", {"body": "x"}).status_code == 403
    assert anonymous.post("/manage/provider/terms/", {"body": "x"}).status_code == 302
    assert not PolicyPage.objects.exists()


@time_machine.travel(T0, tick=False)
def test_sitemap_lists_the_published_pages(coordinator: Any, anonymous: Client) -> None:
    policy_publish(actor=coordinator, kind="about", body="Hi.")
    policy_publish(actor=coordinator, kind="privacy", body="Data.")
    soon = T0 + dt.timedelta(days=1)
    policy_publish(actor=coordinator, kind="terms", body="Later.", effective_at=soon)
    xml = anonymous.get("/sitemap.xml").content.decode()
    assert "/about/</loc>" in xml and "/privacy/</loc>" in xml
    assert "/terms/</loc>" not in xml  # scheduled, not published


def test_footer_links_every_policy_page(anonymous: Client) -> None:
    Organization.objects.create(
        name="Lakeside Clinical", address="12 Harbor Road\nPortland, ME", phone="+1 207 555 0100"
    )
    html = anonymous.get("/").content.decode()
    for path in ("/about/", "/contact/", "/privacy/", "/terms/", "/refunds/", "/accessibility/"):
        assert f'href="{path}"' in html
    assert "Lakeside Clinical" in html and "12 Harbor Road" in html and "+1 207 555 0100" in html
