"""Fee arithmetic against the data's own worked examples (domain-facts.md 1.5)."""

from __future__ import annotations

from typing import Any

import pytest

from matchway.core.exceptions import ValidationFailed
from matchway.eras import fees
from matchway.eras.services.season import (
    fee_estimate,
    parse_counts,
    schedule_for,
    season_key,
    season_resolve,
)


def test_eras_2026_worked_example_43_im_plus_7_radiology_is_797(reference_data: None) -> None:
    # "Example: 43 IM + 7 Radiology = $797" (AAMC fees page, ERAS 2026).
    result = fee_estimate(season="2026", counts=[("140", 43), ("420", 7)])
    assert result.total_cents == 79700
    im, rad = result.lines
    assert (im.line.amount_cents, rad.line.amount_cents) == (72000, 7700)
    assert "programs 1–30: 30 × $11 = $330" in im.line.explanation
    assert "programs 31–43: 13 × $30 = $390" in im.line.explanation
    assert im.line.service == "eras"
    assert not result.unconfirmed


def test_the_count_restarts_per_specialty(reference_data: None) -> None:
    split = fee_estimate(season="2026", counts=[("140", 30), ("120", 30)])
    assert split.total_cents == 60 * 1100  # never reaches the $30 tier


def test_residencycas_for_specialties_that_left_eras(reference_data: None) -> None:
    # EM from the 2025-26 cycle: $99 for 1-18, $18 each 19-30, $23 each from 31.
    result = fee_estimate(season="2026", counts=[("110", 35)])
    (line,) = result.lines
    assert line.line.service == "residencycas"
    assert line.line.amount_cents == 9900 + 12 * 1800 + 5 * 2300
    # EM still applied through ERAS in 2025 (old ERAS schedule: $99 up to 10, ...).
    old = fee_estimate(season="2025", counts=[("110", 12)])
    assert old.lines[0].line.service == "eras"
    assert old.lines[0].line.amount_cents == 9900 + 2 * 1900
    assert old.unconfirmed  # 2025 used the 2024 schedule per secondary sources only


def test_eras_2024_schedule_all_tiers(reference_data: None) -> None:
    result = fee_estimate(season="2024", counts=[("140", 33)])
    assert result.total_cents == 9900 + 10 * 1900 + 10 * 2300 + 3 * 2700
    assert not result.unconfirmed


def test_unconfirmed_season_uses_latest_prices_and_says_so(reference_data: None) -> None:
    result = fee_estimate(season="2027", counts=[("140", 10)])
    assert result.total_cents == 11000
    assert result.unconfirmed
    assert "not confirmed" in result.lines[0].schedule.season
    assert result.lines[0].schedule.status == "UNCONFIRMED"


def test_fee_assistance_60_percent_off_first_50_eras_applications(reference_data: None) -> None:
    result = fee_estimate(
        season="2026", counts=[("140", 43), ("420", 7), ("120", 5)], fee_assistance_approved=True
    )
    im, rad, fm = result.lines
    assert im.line.discount_cents == 43200  # 60% of $720
    assert rad.line.discount_cents == 4620  # 60% of $77
    assert fm.line.discount_cents == 0  # the 50 are used up
    assert result.total_cents == 79700 + 5500 - 43200 - 4620
    assert "Fee Assistance Program: 60% off 43 applications" in im.line.explanation
    assert result.fee_assistance is not None and result.fee_assistance.confirmed


def test_fee_assistance_not_for_residencycas_nor_before_2025(reference_data: None) -> None:
    em = fee_estimate(season="2026", counts=[("110", 5)], fee_assistance_approved=True)
    assert em.lines[0].line.discount_cents == 0
    old = fee_estimate(season="2024", counts=[("140", 5)], fee_assistance_approved=True)
    assert old.fee_assistance is None and old.total_cents == 9900


def test_zero_programs_and_other_services(reference_data: None) -> None:
    assert fee_estimate(season="2026", counts=[("140", 0)]).total_cents == 0
    with pytest.raises(ValidationFailed):
        fee_estimate(season="2026", counts=[("240", 3)])  # SF Match
    with pytest.raises(ValidationFailed):
        fee_estimate(season="2026", counts=[("nope", 3)])


@pytest.mark.parametrize("raw", ["", "140", "140:x", ":3", "140:-1", "140:100000", ",,,"])
def test_parse_counts_refuses_odd_input(raw: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_counts(raw)


def test_parse_counts_adds_repeats() -> None:
    assert parse_counts(" 140:3, 420:7,140:2") == [("140", 5), ("420", 7)]


@pytest.mark.parametrize(
    ("raw", "key"), [("ERAS 2027", "2027"), ("2026", "2026"), ("2025-26", "2026"), ("x", "")]
)
def test_season_key(raw: str, key: str) -> None:
    assert season_key(raw) == key


def test_season_resolve_refuses_unknown() -> None:
    with pytest.raises(ValidationFailed):
        season_resolve("1999")


def test_marginal_costs_sum_to_tier_total(settings: Any, reference_data: None) -> None:
    for service in ("eras", "residencycas"):
        for season in ("2024", "2026"):
            schedule = schedule_for(service, season)
            for n in (0, 1, 10, 11, 18, 19, 30, 31, 77):
                total = fees.estimate([fees.Request("x", n, schedule)]).total_cents
                assert total == sum(schedule.marginal_cents(i) for i in range(1, n + 1))


def test_dollars() -> None:
    assert fees.dollars(79700) == "$797"
    assert fees.dollars(440) == "$4.40"
    assert fees.dollars(123456789) == "$1,234,567.89"
