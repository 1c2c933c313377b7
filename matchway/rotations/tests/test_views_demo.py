"""seed_demo gives the rotations pages something real to show, and stays idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from matchway.accounts.models import User
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    Rotation,
    RotationKind,
    RotationSession,
    SessionArrival,
    Site,
    SiteKind,
)


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_demo_catalog_covers_every_kind_state_and_page() -> None:
    call_command("seed_demo", stdout=StringIO())
    counts = (
        Rotation.objects.count(),
        RotationSession.objects.count(),
        Application.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        Rotation.objects.count(),
        RotationSession.objects.count(),
        Application.objects.count(),
    )
    # Arrival logistics: every rotation has first-day details, one session overrides them.
    assert not Rotation.objects.filter(arrival__isnull=True).exists()
    assert SessionArrival.objects.count() == 1
    assert Site.objects.filter(kind=SiteKind.VIRTUAL).exists()
    assert Site.objects.exclude(state=None).values("state").distinct().count() >= 5
    assert Rotation.objects.filter(published=True).count() >= 20
    assert Rotation.objects.values("specialty").distinct().count() >= 8
    assert set(Rotation.objects.values_list("kind", flat=True)) == set(RotationKind.values)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    client = Client()
    assert "Inpatient Internal Medicine Clerkship" in client.get("/rotations/").content.decode()
    client.force_login(User.objects.get(email="coordinator@example.com"))
    assert client.get("/rotations/manage/applications/?status=all").status_code == 200
    client.force_login(User.objects.get(email="applicant@example.com"))
    html = client.get("/dashboard/").content.decode()
    assert "Seat held until" in html
    assert "number 1" in html  # on a waitlist
