"""A small rank-list simulation: pure Python, no Django.

`deferred_acceptance` is the applicant-proposing algorithm the Match uses (applicants
propose down their lists; each program holds its most-preferred applicants up to its
positions and lets the others go; a released applicant goes on down their list). It is
tested against the `matching` package as an oracle.

`simulate` builds a made-up Match around one applicant ("you"): for every program on your
list you say whether it ranks you high, low or not at all; simulated competitors fill the
rest (seeded, so the same scenario gives the same answer). It runs your list in your true
order and in other orders, and reports whether any other order would have matched you to a
program you truly prefer. Under applicant-proposing deferred acceptance none can: ranking
in true preference order is safe. The simulation never claims to predict a real Match.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

YOU = "you"
HIGH, LOW, NOT_RANKED = "high", "low", "none"
STANDINGS = (HIGH, LOW, NOT_RANKED)
MAX_PERMUTED = 6  # up to 6 programs: every order (720); beyond that, a fixed sample
SAMPLE_ORDERS = 400


def deferred_acceptance(
    applicant_prefs: Mapping[str, Sequence[str]],
    program_prefs: Mapping[str, Sequence[str]],
    capacities: Mapping[str, int],
) -> dict[str, str | None]:
    """Applicant-proposing deferred acceptance. A pair is acceptable only when each ranks
    the other. Returns every applicant's program (or None)."""
    rank = {p: {a: i for i, a in enumerate(prefs)} for p, prefs in program_prefs.items()}
    next_choice = {a: 0 for a in applicant_prefs}
    held: dict[str, list[str]] = {p: [] for p in program_prefs}
    free = [a for a in applicant_prefs]
    while free:
        applicant = free.pop()
        prefs = applicant_prefs[applicant]
        while next_choice[applicant] < len(prefs):
            program = prefs[next_choice[applicant]]
            next_choice[applicant] += 1
            if program not in rank or applicant not in rank[program]:
                continue
            holding = held[program]
            holding.append(applicant)
            holding.sort(key=lambda a, p=program: rank[p][a])  # type: ignore[misc]
            if len(holding) <= capacities.get(program, 1):
                break
            bumped = holding.pop()
            if bumped == applicant:
                continue
            free.append(bumped)
            break
    result: dict[str, str | None] = {a: None for a in applicant_prefs}
    for program, holding in held.items():
        for applicant in holding:
            result[applicant] = program
    return result


@dataclass(frozen=True)
class Scenario:
    programs: tuple[str, ...]  # your list in your TRUE order of preference
    standing: Mapping[str, str]  # program -> high | low | none
    competitors_per_program: int = 3
    positions_per_program: int = 1
    seed: int = 1


@dataclass
class Outcome:
    order: tuple[str, ...]
    matched: str | None


@dataclass
class SimulationResult:
    truthful: Outcome
    tried: int
    better_elsewhere: list[Outcome] = field(default_factory=list)
    samples: list[Outcome] = field(default_factory=list)

    @property
    def truthful_is_best(self) -> bool:
        return not self.better_elsewhere


def _market(scenario: Scenario) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Competitors' lists and programs' lists around you (deterministic for a seed)."""
    rng = random.Random(scenario.seed)
    programs = list(scenario.programs)
    count = max(1, scenario.competitors_per_program) * max(1, len(programs))
    competitors = [f"c{i + 1}" for i in range(count)]
    applicant_prefs: dict[str, list[str]] = {}
    for c in competitors:
        size = rng.randint(1, len(programs))
        applicant_prefs[c] = rng.sample(programs, size)
    program_prefs: dict[str, list[str]] = {}
    for p in programs:
        pool = [c for c in competitors if p in applicant_prefs[c]]
        rng.shuffle(pool)
        standing = scenario.standing.get(p, LOW)
        if standing == HIGH:
            program_prefs[p] = [YOU, *pool]
        elif standing == LOW:
            keep = scenario.positions_per_program + max(1, len(pool) // 2)
            program_prefs[p] = [*pool[:keep], YOU, *pool[keep:]]
        else:
            program_prefs[p] = pool
    return applicant_prefs, program_prefs


def _orders(programs: Sequence[str], seed: int) -> list[tuple[str, ...]]:
    if len(programs) <= MAX_PERMUTED:
        return [tuple(p) for p in itertools.permutations(programs)]
    rng = random.Random(seed)
    orders = {tuple(programs)}
    items = list(programs)
    for i in range(len(items)):  # each program moved to the top
        orders.add((items[i], *items[:i], *items[i + 1 :]))
    while len(orders) < SAMPLE_ORDERS:
        shuffled = items[:]
        rng.shuffle(shuffled)
        orders.add(tuple(shuffled))
    return sorted(orders)


def simulate(scenario: Scenario) -> SimulationResult:
    """Your true order against other orders of the same programs (and shorter lists that
    drop the programs at the end), in one made-up market."""
    applicant_prefs, program_prefs = _market(scenario)
    capacities = {p: scenario.positions_per_program for p in scenario.programs}
    true_rank = {p: i for i, p in enumerate(scenario.programs)}

    def run(order: tuple[str, ...]) -> Outcome:
        prefs = {**applicant_prefs, YOU: list(order)}
        return Outcome(order, deferred_acceptance(prefs, program_prefs, capacities)[YOU])

    def score(outcome: Outcome) -> int:
        return true_rank[outcome.matched] if outcome.matched else len(true_rank)

    truthful = run(tuple(scenario.programs))
    orders = _orders(scenario.programs, scenario.seed)
    orders += [tuple(scenario.programs[:k]) for k in range(1, len(scenario.programs))]
    outcomes = [run(order) for order in orders]
    better = [o for o in outcomes if score(o) < score(truthful)]
    samples = [o for o in outcomes if o.order != truthful.order][:5]
    return SimulationResult(
        truthful=truthful, tried=len(outcomes), better_elsewhere=better, samples=samples
    )
