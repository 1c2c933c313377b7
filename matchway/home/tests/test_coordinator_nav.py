"""The header's "Rotations" takes a coordinator to the workspace, others to the catalog (#17)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _nav_rotations_href(html: str) -> str:
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    match = re.search(r'<a href="([^"]+)"[^>]*>Rotations</a>', header)
    assert match, header
    return match.group(1)


def test_coordinator_rotations_link_goes_to_the_workspace(coordinator_client):
    html = coordinator_client.get(reverse("dashboard")).content.decode()
    assert _nav_rotations_href(html) == reverse("rotations:manage")


def test_coordinator_people_link_goes_to_the_people_page(coordinator_client):
    html = coordinator_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("accounts:people")}"' in html


def test_everyone_else_gets_the_catalog(applicant_client, anonymous):
    for client in (applicant_client, anonymous):
        html = client.get(reverse("home")).content.decode()
        assert _nav_rotations_href(html) == reverse("rotations:catalog")
