from __future__ import annotations

import pytest
from django.test import override_settings

from matchway.organization.models import Organization
from matchway.organization.selectors import organization_current

pytestmark = pytest.mark.django_db


@override_settings(SITE_NAME="Riverside Rotations")
def test_without_a_row_the_provider_is_named_after_the_site() -> None:
    org = organization_current()
    assert org.pk is None
    assert org.name == "Riverside Rotations"
    assert org.contact_email == ""


def test_saving_the_row_is_seen_at_once() -> None:
    organization_current()  # cached
    Organization.objects.create(name="Lakeside Clinical", contact_email="help@lakeside.example")
    org = organization_current()
    assert (org.name, org.contact_email) == ("Lakeside Clinical", "help@lakeside.example")
    org.name = "Lakeside Clinical Rotations"
    org.save()
    assert organization_current().name == "Lakeside Clinical Rotations"


def test_pages_get_the_provider_in_their_context(client) -> None:  # type: ignore[no-untyped-def]
    Organization.objects.create(name="Lakeside Clinical")
    response = client.get("/")
    assert response.context["organization"].name == "Lakeside Clinical"
