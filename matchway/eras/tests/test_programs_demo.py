"""seed_demo gives the demo applicant a season in progress, and a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from matchway.accounts.models import User
from matchway.eras.models import Program, ProgramTarget, TargetStatusChange
from matchway.eras.selectors_programs import target_rows_for_user


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_programs_are_varied_and_idempotent():
    call_command("seed_demo", stdout=StringIO())
    applicant = User.objects.get(email="applicant@example.com")
    counts = (Program.objects.count(), TargetStatusChange.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Program.objects.count(), TargetStatusChange.objects.count()) == counts
    rows = target_rows_for_user(user=applicant)
    assert len(rows) >= 15
    assert {r.fit for r in rows} == {"met", "not_met", "unknown"}
    assert len({r.program.state for r in rows}) >= 5
    assert len({r.target.status for r in rows}) >= 5
    assert ProgramTarget.objects.filter(
        applicant=applicant, statement_version__isnull=False
    ).exists()
    assert Program.objects.filter(owner__isnull=True).count() == 3
