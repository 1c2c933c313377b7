"""The simulation's algorithm against the `matching` package (oracle), and the property the
page shows: under applicant-proposing deferred acceptance, no other order of your list
(nor a shorter list) gets you a program you truly prefer."""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from matchway.eras.matching_sim import (
    HIGH,
    LOW,
    NOT_RANKED,
    YOU,
    Scenario,
    _market,
    deferred_acceptance,
    simulate,
)


def _mutual(applicants: dict[str, list[str]], programs: dict[str, list[str]]):
    a = {x: [p for p in prefs if x in programs.get(p, [])] for x, prefs in applicants.items()}
    p = {y: [x for x in prefs if y in a.get(x, [])] for y, prefs in programs.items()}
    return {x: v for x, v in a.items() if v}, {y: v for y, v in p.items() if v}


def _oracle(applicants, programs, capacities) -> dict[str, str | None]:
    a, p = _mutual(applicants, programs)
    result: dict[str, str | None] = dict.fromkeys(applicants)
    if not a or not p:
        return result
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(a, p, {y: capacities[y] for y in p})
        matching = game.solve(optimal="resident")
    for hospital, residents in matching.items():
        for resident in residents:
            result[str(resident.name)] = str(hospital.name)
    return result


@st.composite
def markets(draw: st.DrawFn):
    n_programs = draw(st.integers(1, 5))
    n_applicants = draw(st.integers(1, 8))
    programs = [f"P{i}" for i in range(n_programs)]
    applicants = [f"a{i}" for i in range(n_applicants)]
    a_prefs = {
        a: draw(st.permutations(programs))[: draw(st.integers(0, n_programs))] for a in applicants
    }
    p_prefs = {
        p: draw(st.permutations(applicants))[: draw(st.integers(0, n_applicants))] for p in programs
    }
    caps = {p: draw(st.integers(1, 2)) for p in programs}
    return {a: list(v) for a, v in a_prefs.items()}, {p: list(v) for p, v in p_prefs.items()}, caps


@settings(max_examples=150, deadline=None)
@given(markets())
def test_same_matching_as_the_oracle(market) -> None:
    applicants, programs, caps = market
    assert deferred_acceptance(applicants, programs, caps) == _oracle(applicants, programs, caps)


def test_a_known_small_market() -> None:
    applicants = {"a": ["X", "Y"], "b": ["X"], "c": ["Y", "X"]}
    programs = {"X": ["c", "a", "b"], "Y": ["a", "c"]}
    assert deferred_acceptance(applicants, programs, {"X": 1, "Y": 1}) == {
        "a": "X",
        "b": None,
        "c": "Y",
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([HIGH, LOW, NOT_RANKED]), min_size=1, max_size=5),
    st.integers(1, 4),
    st.integers(1, 500),
)
def test_true_order_is_never_beaten(standings, competitors, seed) -> None:
    programs = tuple(f"p{i}" for i in range(len(standings)))
    scenario = Scenario(
        programs=programs,
        standing=dict(zip(programs, standings, strict=True)),
        competitors_per_program=competitors,
        seed=seed,
    )
    result = simulate(scenario)
    assert result.truthful_is_best, result.better_elsewhere
    # and the market really is the one the applicant described
    _apps, program_prefs = _market(scenario)
    for p, standing in scenario.standing.items():
        assert (YOU in program_prefs[p]) == (standing != NOT_RANKED)
        if standing == HIGH:
            assert program_prefs[p][0] == YOU


def test_ranked_high_everywhere_matches_the_first_choice() -> None:
    programs = ("p0", "p1", "p2")
    result = simulate(Scenario(programs, dict.fromkeys(programs, HIGH), seed=7))
    assert result.truthful.matched == "p0"
    assert result.tried >= 6


def test_nobody_ranks_you_means_no_match_in_any_order() -> None:
    programs = ("p0", "p1")
    result = simulate(Scenario(programs, dict.fromkeys(programs, NOT_RANKED)))
    assert result.truthful.matched is None and result.truthful_is_best


def test_long_lists_sample_orders_deterministically() -> None:
    programs = tuple(f"p{i}" for i in range(9))
    scenario = Scenario(programs, dict.fromkeys(programs, LOW), seed=3)
    first, second = simulate(scenario), simulate(scenario)
    assert first.tried == second.tried > 9
    assert first.truthful.matched == second.truthful.matched
    assert first.truthful_is_best
