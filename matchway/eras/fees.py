"""Application fee arithmetic: pure Python, no Django. The prices come in as data.

A schedule is a list of tiers. Each tier covers programs `first`..`last` (inclusive, `last`
None for "and every one after") and either charges `cents` for each program in it (`each`)
or once for the whole tier as soon as one program falls in it (`flat`). The count starts
again at 1 for every specialty (ERAS: "tier count resets for each specialty").

`estimate()` gives one line per specialty with the words that show how its amount was
reached, and the total. A fee-assistance discount (percent off up to N applications of one
service) is applied to the first N applications in the order the lines are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Tier:
    first: int
    last: int | None
    cents: int
    kind: str = "each"  # each | flat

    def covers(self, n: int) -> bool:
        return n >= self.first and (self.last is None or n <= self.last)


@dataclass(frozen=True)
class Schedule:
    service: str  # eras | residencycas
    tiers: tuple[Tier, ...]
    season: str = ""
    source: str = ""
    status: str = ""

    def marginal_cents(self, n: int) -> int:
        """What the n-th program of one specialty adds to the bill."""
        for tier in self.tiers:
            if tier.covers(n):
                if tier.kind == "flat":
                    return tier.cents if n == tier.first else 0
                return tier.cents
        raise ValueError(f"No tier covers program {n}.")


@dataclass(frozen=True)
class Discount:
    """`percent` off the first `max_applications` applications sent through `service`."""

    service: str
    percent: int
    max_applications: int
    label: str = "Fee Assistance Program"


@dataclass(frozen=True)
class Request:
    specialty: str  # a label ("Internal Medicine") or code, shown as given
    programs: int
    schedule: Schedule


@dataclass(frozen=True)
class Line:
    specialty: str
    service: str
    programs: int
    amount_cents: int
    explanation: str
    discount_cents: int = 0
    parts: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Estimate:
    lines: tuple[Line, ...]
    total_cents: int


def dollars(cents: int) -> str:
    """$1,234 or $4.40: whole dollars without cents."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    whole, rest = divmod(cents, 100)
    return f"{sign}${whole:,}" + (f".{rest:02d}" if rest else "")


def _tier_parts(schedule: Schedule, programs: int) -> list[tuple[str, int]]:
    """[(words, cents)] per tier that this number of programs reaches."""
    parts: list[tuple[str, int]] = []
    for tier in schedule.tiers:
        if programs < tier.first:
            break
        upper = programs if tier.last is None else min(programs, tier.last)
        count = upper - tier.first + 1
        span = f"program {tier.first}" if count == 1 else f"programs {tier.first}–{upper}"
        if tier.kind == "flat":
            words = f"{span}: {dollars(tier.cents)} for the first {tier.last or upper}"
            parts.append((words, tier.cents))
        else:
            amount = count * tier.cents
            words = f"{span}: {count} × {dollars(tier.cents)} = {dollars(amount)}"
            parts.append((words, amount))
    return parts


def _discount(cents: int, percent: int) -> int:
    value = (Decimal(cents) * Decimal(percent) / Decimal(100)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return int(value)


def estimate(requests: Sequence[Request], *, discount: Discount | None = None) -> Estimate:
    """One line per request, in order. Raises ValueError for a negative count."""
    lines: list[Line] = []
    discounted_left = discount.max_applications if discount else 0
    for request in requests:
        if request.programs < 0:
            raise ValueError("A number of programs cannot be negative.")
        schedule = request.schedule
        parts = _tier_parts(schedule, request.programs)
        gross = sum(cents for _, cents in parts)
        reduction = 0
        words = [w for w, _ in parts]
        if discount and discount.service == schedule.service and discounted_left > 0:
            covered = min(discounted_left, request.programs)
            base = sum(schedule.marginal_cents(n) for n in range(1, covered + 1))
            reduction = _discount(base, discount.percent)
            discounted_left -= covered
            if covered:
                words.append(
                    f"{discount.label}: {discount.percent}% off {covered} "
                    f"application{'s' if covered != 1 else ''} "
                    f"({dollars(base)}) = −{dollars(reduction)}"
                )
        amount = gross - reduction
        if request.programs == 0:
            explanation = "No programs: $0."
        else:
            explanation = "; ".join(words) + f". Total {dollars(amount)}."
        lines.append(
            Line(
                specialty=request.specialty,
                service=schedule.service,
                programs=request.programs,
                amount_cents=amount,
                explanation=explanation,
                discount_cents=reduction,
                parts=tuple(words),
            )
        )
    return Estimate(lines=tuple(lines), total_cents=sum(line.amount_cents for line in lines))
