"""Signals under concurrency: many requests for the last signals of one specialty at once
never give more than the season allows (docs/dev/eras-season.md)."""

from __future__ import annotations

from typing import Any

import pytest

from matchway.accounts.tests.factories import UserFactory
from matchway.core.exceptions import SignalLimitReached
from matchway.eras.models import ProgramTarget
from matchway.eras.services.signals import target_signal_set
from matchway.eras.tests.factories_season import ProgramFactory, ProgramTargetFactory
from matchway.reference.models import Specialty

from .helpers import run_in_waves

pytestmark = [pytest.mark.postgres]


def test_twenty_targets_race_for_five_signals(transactional_db: None) -> None:
    fm = Specialty.objects.create(code="120", name="Family Medicine", signal_key="Family Medicine")
    user = UserFactory(role="applicant")
    targets = [
        ProgramTargetFactory(applicant=user, program=ProgramFactory(owner=user, specialty=fm))
        for _ in range(20)
    ]

    def work(pk: int) -> str:
        target = ProgramTarget.objects.select_related("applicant").get(pk=pk)
        try:
            target_signal_set(target=target, signal="signal", actor=target.applicant)
        except SignalLimitReached:
            return "signal_limit"
        return "ok"

    results: list[Any] = run_in_waves(work, [t.pk for t in targets])
    assert results.count("ok") == 5, results
    assert results.count("signal_limit") == 15
    assert ProgramTarget.objects.filter(applicant=user, signal="signal").count() == 5
