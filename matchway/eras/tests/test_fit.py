"""The fit verdict per requirement: pure, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from matchway.eras.fit import (
    MET,
    NOT_MET,
    UNKNOWN,
    ApplicantFacts,
    Requirement,
    UsceStint,
    fit_lines,
    fit_summary,
    parse_score,
)

TODAY = dt.date(2026, 9, 1)


def stint(hands_on: bool, start: str, end: str, number: str = "MW-1") -> UsceStint:
    return UsceStint(
        title="Rotation",
        hands_on=hands_on,
        start_date=dt.date.fromisoformat(start),
        end_date=dt.date.fromisoformat(end),
        certificate=number,
    )


def one(kind: str, value: str, facts: ApplicantFacts, **others: str):
    reqs = [Requirement(kind=kind, value=value, strictness="strict")]
    reqs += [Requirement(kind=k, value=v) for k, v in others.items()]
    return fit_lines(reqs, facts)[0]


def test_usce_months_counts_only_hands_on_certified_within_the_window():
    facts = ApplicantFacts(
        today=TODAY,
        usce=(
            stint(True, "2026-06-01", "2026-07-26", "MW-0042"),  # 8 weeks = 2 months
            stint(False, "2026-03-02", "2026-05-24", "MW-0007"),  # observership
            stint(True, "2024-01-01", "2024-06-30", "MW-0001"),  # too old
        ),
    )
    line = one("usce_months", "12", facts, usce_kind="hands_on", usce_recency="12")
    assert line.verdict == NOT_MET
    assert line.reason == (
        "Program asks for 12 months of hands-on USCE within 12 months; you have 2 months, "
        "certificate MW-0042."
    )


def test_usce_months_met_when_enough():
    facts = ApplicantFacts(today=TODAY, usce=(stint(True, "2026-01-05", "2026-05-03"),))
    assert one("usce_months", "3", facts).verdict == MET


def test_usce_without_certificates_is_not_met_and_says_so():
    line = one("usce_months", "1", ApplicantFacts(today=TODAY))
    assert line.verdict == NOT_MET
    assert "no completed rotation with a certificate" in line.reason


def test_hands_on_kind_and_recency():
    obs = ApplicantFacts(today=TODAY, usce=(stint(False, "2026-06-01", "2026-06-28", "MW-9"),))
    assert one("usce_kind", "hands_on", obs).verdict == NOT_MET
    assert "observerships" in one("usce_kind", "hands_on", obs).reason
    assert one("usce_kind", "any", obs).verdict == MET
    assert one("usce_recency", "12", obs).verdict == MET
    assert one("usce_recency", "1", obs).verdict == NOT_MET


@pytest.mark.parametrize(
    ("score", "verdict"), [("245", MET), ("229", NOT_MET), ("", UNKNOWN), ("pending", UNKNOWN)]
)
def test_step2_minimum(score, verdict):
    facts = ApplicantFacts(today=TODAY, step2_score=parse_score(score))
    assert one("step2_min", "230", facts).verdict == verdict


def test_attempts_graduation_visas_ecfmg():
    facts = ApplicantFacts(
        today=TODAY, attempts=2, graduation_year=2019, visa_need="j1", ecfmg_status="in_progress"
    )
    assert one("attempts", "1", facts).verdict == NOT_MET
    assert one("attempts", "2", facts).verdict == MET
    line = one("years_since_graduation", "5", facts)
    assert line.verdict == NOT_MET
    assert "2019 (7 years ago)" in line.reason
    assert one("visas", "j1,h1b", facts).verdict == MET
    assert one("visas", "h1b", facts).verdict == NOT_MET
    assert one("visas", "none", facts).verdict == NOT_MET
    assert one("ecfmg_by", "2027-07-01", facts).verdict == UNKNOWN
    assert one("ecfmg_by", "2026-07-01", facts).verdict == NOT_MET
    certified = ApplicantFacts(today=TODAY, ecfmg_status="certified")
    assert one("ecfmg_by", "2026-07-01", certified).verdict == MET


def test_unknown_profile_fields_give_unknown_with_reason():
    facts = ApplicantFacts(today=TODAY)
    for kind, value in [("attempts", "1"), ("years_since_graduation", "5"), ("visas", "j1")]:
        line = one(kind, value, facts)
        assert line.verdict == UNKNOWN
        assert "profile" in line.reason
    assert one("img_share", "40%", facts).verdict == UNKNOWN


def test_summary():
    facts = ApplicantFacts(today=TODAY, step2_score=250, visa_need="none")
    met = fit_lines([Requirement("step2_min", "230"), Requirement("visas", "none")], facts)
    assert fit_summary(met) == MET
    assert fit_summary([]) == UNKNOWN
    mixed = fit_lines([Requirement("step2_min", "260"), Requirement("attempts", "1")], facts)
    assert fit_summary(mixed) == NOT_MET
    assert fit_summary(fit_lines([Requirement("attempts", "1")], facts)) == UNKNOWN
