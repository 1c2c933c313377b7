"""Refund policy as data: validate it, say it in words, compute a refund. Pure Python.

A rotation's `refund_rules` (JSON) has two lists of tiers, one per part of the price:

    {"deposit": [{"until_days": 30, "percent": 100}, {"until_days": 14, "percent": 50}],
     "balance": [{"until_days": 14, "percent": 100}]}

A tier means "this percent of what was paid for this part comes back when the applicant
withdraws at least `until_days` days before the start date" (the day counts in the site's
time zone: 30 days before a 1 June start is 2 May, and withdrawing on 2 May still gets the
tier). The most generous tier that applies wins; after the last tier nothing comes back.
Empty rules mean "no structured policy": the quote is zero and the coordinator decides.

What was paid is split in order: the first `deposit_cents` paid are the deposit, the rest
the balance. A session the provider cancelled refunds everything paid, whatever the rules.
The applicant's text (`policy_sentences`) is generated from the same data as the quote, so
the two never disagree. No Django, no database: tested at each boundary day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

PARTS = ("deposit", "balance")
PART_WORDS = {"deposit": "deposit", "balance": "balance"}
MAX_TIERS = 6
MAX_DAYS = 365


class RefundRulesError(ValueError):
    """The rules are malformed; `messages` say what to fix, one sentence each."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Tier:
    until_days: int
    percent: int


@dataclass(frozen=True)
class QuoteLine:
    part: str  # deposit | balance
    paid_cents: int
    percent: int
    refund_cents: int
    rule: str


@dataclass(frozen=True)
class RefundQuote:
    refund_cents: int
    rule: str
    explanation: str
    lines: tuple[QuoteLine, ...] = ()


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def validate_rules(raw: Any) -> dict[str, list[dict[str, int]]]:
    """The normalized rules (tiers sorted most generous first), or RefundRulesError."""
    if raw in (None, "", {}):
        return {}
    if not isinstance(raw, dict):
        raise RefundRulesError(["The refund rules must name a deposit and/or a balance part."])
    unknown = sorted(str(k) for k in raw if k not in PARTS)
    errors: list[str] = []
    if unknown:
        errors.append(f"Unknown part: {', '.join(unknown)} (use deposit or balance).")
    result: dict[str, list[dict[str, int]]] = {}
    for part in PARTS:
        tiers = raw.get(part) or []
        if not isinstance(tiers, list):
            errors.append(f"The {part} rules must be a list of tiers.")
            continue
        if len(tiers) > MAX_TIERS:
            errors.append(f"At most {MAX_TIERS} tiers for the {part}.")
            continue
        clean: list[dict[str, int]] = []
        for tier in tiers:
            days = _int(tier.get("until_days")) if isinstance(tier, dict) else None
            percent = _int(tier.get("percent")) if isinstance(tier, dict) else None
            if days is None or not 0 <= days <= MAX_DAYS:
                errors.append(f"Each {part} tier needs whole days between 0 and {MAX_DAYS}.")
                continue
            if percent is None or not 0 < percent <= 100:
                errors.append(f"Each {part} tier needs a percentage from 1 to 100.")
                continue
            clean.append({"until_days": days, "percent": percent})
        clean.sort(key=lambda t: (-t["until_days"], -t["percent"]))
        days_seen = [t["until_days"] for t in clean]
        if len(set(days_seen)) != len(days_seen):
            errors.append(f"Two {part} tiers have the same number of days.")
        # Closer to the start never refunds more than earlier.
        percents = [t["percent"] for t in clean]
        if percents != sorted(percents, reverse=True):
            errors.append(f"The {part} percentage must not grow as the start date gets closer.")
        if clean:
            result[part] = clean
    if errors:
        raise RefundRulesError(errors)
    return result


def _tiers(rules: dict[str, Any], part: str) -> list[Tier]:
    return [Tier(t["until_days"], t["percent"]) for t in rules.get(part, [])]


def _day_word(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _tier_words(tier: Tier) -> str:
    share = "in full" if tier.percent == 100 else f"{tier.percent} %"
    if tier.until_days == 0:
        return f"{share} until the start date"
    return f"{share} until {_day_word(tier.until_days)} before the start date"


def policy_sentences(raw: Any) -> list[str]:
    """The policy in plain words, one sentence per part (empty for no structured policy)."""
    try:
        rules = validate_rules(raw)
    except RefundRulesError:
        return []
    if not rules:
        return []
    sentences = []
    for part in PARTS:
        tiers = _tiers(rules, part)
        word = PART_WORDS[part].capitalize()
        if not tiers:
            sentences.append(f"{word}: not refundable after payment.")
            continue
        parts = ", then ".join(_tier_words(t) for t in tiers)
        sentences.append(f"{word}: refunded {parts}; nothing after that.")
    sentences.append(
        "Days are counted in the site's time zone. If we cancel your session, "
        "everything you paid is refunded."
    )
    return sentences


def _tier_for(tiers: list[Tier], days_before: int) -> Tier | None:
    for tier in tiers:  # most generous first
        if days_before >= tier.until_days:
            return tier
    return None


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def quote_refund(
    raw_rules: Any,
    *,
    start_date: dt.date,
    on_date: dt.date,
    deposit_cents: int,
    paid_cents: int,
    refunded_cents: int = 0,
    provider_cancelled: bool = False,
) -> RefundQuote:
    """What comes back if the applicant withdraws on `on_date` (the site's local date).

    Never more than `paid_cents - refunded_cents`; what was already refunded is deducted.
    """
    paid_cents = max(0, paid_cents)
    available = max(0, paid_cents - max(0, refunded_cents))
    if provider_cancelled:
        return RefundQuote(
            refund_cents=available,
            rule="provider_cancelled",
            explanation=(
                f"The session was cancelled by the provider: everything paid comes back "
                f"({_money(available)})."
            ),
        )
    try:
        rules = validate_rules(raw_rules)
    except RefundRulesError:
        rules = {}
    if not rules:
        return RefundQuote(
            refund_cents=0,
            rule="",
            explanation=(
                "This rotation has no refund schedule; the coordinator decides any refund "
                "under the written policy."
            ),
        )
    days_before = (start_date - on_date).days
    deposit_paid = min(paid_cents, max(0, deposit_cents))
    paid_by_part = {"deposit": deposit_paid, "balance": paid_cents - deposit_paid}
    lines: list[QuoteLine] = []
    names: list[str] = []
    for part in PARTS:
        paid = paid_by_part[part]
        tier = _tier_for(_tiers(rules, part), days_before)
        percent = tier.percent if tier else 0
        name = f"{part}:{tier.until_days}d:{percent}" if tier else f"{part}:none"
        # Round down to the cent: a policy never gives back a fraction of a cent more.
        lines.append(QuoteLine(part, paid, percent, paid * percent // 100, name))
        if paid:
            names.append(name)
    gross = sum(line.refund_cents for line in lines)
    refund = max(0, min(available, gross - max(0, refunded_cents)))
    when = (
        f"{_day_word(days_before)} before the start date"
        if days_before >= 0
        else "after the start date"
    )
    said = "; ".join(
        f"{PART_WORDS[line.part]} {_money(line.paid_cents)} paid, {line.percent} % back"
        for line in lines
        if line.paid_cents
    )
    explanation = f"Withdrawing {when}: " + (said or "nothing paid yet") + "."
    if refunded_cents:
        explanation += f" Already refunded: {_money(refunded_cents)}."
    explanation += f" Refund: {_money(refund)}."
    return RefundQuote(
        refund_cents=refund, rule=",".join(names), explanation=explanation, lines=tuple(lines)
    )
