from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from matchway.soap import schedule

EASTERN = schedule.EASTERN
# Monday of the (projected) 2027 Match Week, after applications open, before round 1.
MONDAY_NOON = dt.datetime(2027, 3, 15, 12, 0, tzinfo=EASTERN)
# ERAS opens for SOAP applications at 11:00 ET on the Monday (domain-facts 4.2); SOAP ends
# when the fourth round's window closes (Thursday 09:00 + 2 h in the data).
BEFORE_OPEN = dt.datetime(2027, 3, 15, 10, 59, tzinfo=EASTERN)
APPLICATIONS_OPEN = dt.datetime(2027, 3, 15, 11, 0, tzinfo=EASTERN)
SOAP_OVER = dt.datetime(2027, 3, 18, 11, 0, tzinfo=EASTERN)
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
