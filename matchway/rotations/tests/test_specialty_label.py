"""A rotation's specialty reads as a person would say it (issue #17, demo data and labels):
"Cardiology · Internal Medicine", not the residency track "Internal Medicine (Categorical)"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from matchway.reference.models import Specialty
from matchway.rotations.tests.factories import RotationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("Internal Medicine (Categorical)", "Internal Medicine"),
        ("Internal Medicine - Primary Care track", "Internal Medicine"),
        ("Internal Medicine - Preliminary (PGY-1 only)", "Internal Medicine"),
        ("Family Medicine", "Family Medicine"),
        ("Obstetrics and Gynecology", "Obstetrics and Gynecology"),
    ],
)
def test_field_name_drops_the_residency_track(name: str, field: str) -> None:
    assert Specialty(code="x", name=name).field_name == field


def test_rotation_label_puts_the_subspecialty_first(reference_data: None) -> None:
    im = Specialty.objects.get(code="140")
    assert RotationFactory.build(specialty=im, subspecialty="Cardiology").specialty_label == (
        "Cardiology · Internal Medicine"
    )
    assert RotationFactory.build(specialty=im, subspecialty="").specialty_label == (
        "Internal Medicine"
    )


def test_catalog_and_rotation_page_show_the_label(reference_data: None, client: Client) -> None:
    rotation: Any = RotationFactory(
        specialty=Specialty.objects.get(code="140"), subspecialty="Cardiology"
    )
    for url in ("/rotations/", rotation.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Cardiology · Internal Medicine" in html, url
        assert "(Categorical) · Cardiology" not in " ".join(html.split()), url
