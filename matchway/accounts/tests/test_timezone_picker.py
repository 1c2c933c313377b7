"""The time zone picker (issue #17): common zones first, the applicant's country first of
all, grouped by region, each zone once, with a filter box (app.js, data-filterable)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from matchway.accounts.timezones import all_zones, timezone_choice_groups, zones_for_country

pytestmark = pytest.mark.django_db


def test_country_zones_come_first_then_us_then_common_then_regions() -> None:
    groups = timezone_choice_groups(country="  india ", current="")
    titles = [title for title, _items in groups]
    assert titles[:3] == ["In india", "United States (rotation sites)", "Often chosen"]
    assert groups[0][1] == [("Asia/Kolkata", "Kolkata (Asia) · UTC+05:30")]
    assert "Africa" in titles and "Europe" in titles
    values = [value for _title, items in groups for value, _label in items]
    assert len(values) == len(set(values)), "each zone appears once"
    assert set(values) == set(all_zones())


def test_current_zone_is_kept_at_the_top_and_unknown_country_adds_no_group() -> None:
    groups = timezone_choice_groups(country="Atlantis", current="Africa/Lagos")
    assert groups[0] == ("Your current zone", [("Africa/Lagos", "Lagos (Africa) · UTC+01:00")])
    assert groups[1][0] == "United States (rotation sites)"


def test_common_names_for_countries() -> None:
    assert "America/New_York" in zones_for_country("USA")
    assert zones_for_country("Nigeria") == ("Africa/Lagos",)
    assert zones_for_country("") == ()


def test_profile_page_offers_grouped_filterable_zones(client: Any, applicant: Any) -> None:
    profile = applicant.applicant_profile
    profile.country = "Pakistan"
    profile.save()
    client.force_login(applicant)
    html = client.get(reverse("accounts:profile")).content.decode()
    select = re.search(r'<select name="user-timezone".*?</select>', html, re.S)
    assert select and "data-filterable=" in select.group(0)
    first_group = re.search(r'<optgroup label="([^"]+)"', select.group(0))
    assert first_group and first_group.group(1) == "Your current zone"
    assert select.group(0).index('label="In Pakistan"') < select.group(0).index(
        'label="United States (rotation sites)"'
    )
    response = client.post(
        reverse("accounts:profile"),
        {"user-full_name": applicant.full_name, "user-timezone": "Asia/Karachi"},
    )
    assert response.status_code in (200, 302)
    applicant.refresh_from_db()
    assert applicant.timezone == "Asia/Karachi"
