from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from matchway.soap import schedule

EASTERN = schedule.EASTERN
# Monday of the (projected) 2027 Match Week, after applications open, before round 1.
MONDAY_NOON = dt.datetime(2027, 3, 15, 12, 0, tzinfo=EASTERN)
ROUND_1 = dt.datetime(2027, 3, 17, 9, 30, tzinfo=EASTERN)
BETWEEN_1_AND_2 = dt.datetime(2027, 3, 17, 11, 30, tzinfo=EASTERN)
ROUND_2 = dt.datetime(2027, 3, 17, 12, 30, tzinfo=EASTERN)


@pytest.fixture
def monday(time_machine: TimeMachineFixture) -> dt.datetime:
    time_machine.move_to(MONDAY_NOON, tick=False)
    return MONDAY_NOON


@pytest.fixture
def at(time_machine: TimeMachineFixture) -> Any:
    def move(instant: dt.datetime) -> dt.datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    return move
