"""The demo season (budget side) is idempotent: 2 signals, 3 interviews, a draft rank list."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from matchway.eras import demo_season
from matchway.eras.models import Interview, ProgramTarget
from matchway.eras.services.ranklist import rank_list_for_user
from matchway.eras.services.season import season_current


@pytest.mark.usefixtures("reference_data")
def test_seed_twice_gives_the_same_season(applicant: Any) -> None:
    context = {"users": {"applicant": applicant}, "stdout": StringIO()}
    for _ in range(2):
        demo_season.seed(context)
        season = season_current()
        mine = ProgramTarget.objects.filter(applicant=applicant, season=season)
        assert mine.exclude(signal="none").count() == 2
        assert Interview.objects.filter(target__applicant=applicant).count() == 3
        assert len(rank_list_for_user(user=applicant, season=season)) == 3
