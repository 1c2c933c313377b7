"""Program signals: the ONE place a target's signal is set (`target_signal_set`).

The season's signal counts per specialty (and gold/silver tiers) come from the ERAS limits
data through `reference.selectors.signal_facts`; signals are counted per signal table
(`Specialty.signal_key`: Diagnostic and Interventional Radiology share one), per applicant
and season. Setting a signal locks the applicant's row, recounts, then writes: two requests
at once can never both take the last signal (docs/dev/eras-season.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q

from matchway.core.audit import audit_record
from matchway.core.exceptions import NotFound, SignalLimitReached, ValidationFailed
from matchway.core.locking import booking_transaction, lock_for_update
from matchway.reference.models import Specialty
from matchway.reference.selectors import SignalFacts, signal_facts

from ..models import ProgramTarget, Signal

TIER_LABELS = {Signal.GOLD: "gold", Signal.SILVER: "silver", Signal.SIGNAL: "signal"}


@dataclass(frozen=True)
class Allowance:
    """How many signals of each kind one specialty allows, with the data's provenance."""

    limits: dict[str, int]  # {"gold": 3, "silver": 12} or {"signal": 5}
    facts: SignalFacts | None
    season: str

    @property
    def tiered(self) -> bool:
        return Signal.GOLD in self.limits

    @property
    def confirmed(self) -> bool:
        """True only when the table is the asked season's own and verified."""
        return bool(
            self.facts
            and self.facts.status == "verified"
            and self.season
            and self.season in self.facts.season
        )

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(Signal.NONE.value, str(Signal.NONE.label))] + [
            (k, str(Signal(k).label)) for k in self.limits
        ]


def signal_allowance(specialty: Specialty, season: str) -> Allowance:
    facts = signal_facts(specialty)
    limits: dict[str, int] = {}
    if facts is not None:
        if facts.gold is not None or facts.silver is not None:
            limits = {Signal.GOLD.value: facts.gold or 0, Signal.SILVER.value: facts.silver or 0}
        elif facts.signals is not None:
            limits = {Signal.SIGNAL.value: facts.signals}
    return Allowance(limits=limits, facts=facts, season=season)


def _same_table(specialty: Specialty) -> Q:
    if specialty.signal_key:
        return Q(program__specialty__signal_key=specialty.signal_key)
    return Q(program__specialty=specialty)


def signal_holders(*, target: ProgramTarget, signal: str) -> list[ProgramTarget]:
    """The applicant's other targets of this season holding `signal` in the same table."""
    return list(
        ProgramTarget.objects.filter(
            _same_table(target.program.specialty),
            applicant_id=target.applicant_id,
            season=target.season,
            signal=signal,
        )
        .exclude(pk=target.pk)
        .select_related("program")
        .order_by("program__name", "pk")
    )


@contextmanager
def applicant_transaction() -> Iterator[None]:
    # Durable when we open it (a caller's stray outer transaction would be a bug there);
    # a caller that already holds a transaction (a target form saving several fields)
    # gets a savepoint, and the lock below still serializes signal changes.
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    else:
        with booking_transaction():
            yield


def target_signal_set(*, target: ProgramTarget, signal: str, actor: Any) -> ProgramTarget:
    """Give `target` the signal `signal` (none/gold/silver/signal), or refuse.

    Raises NotFound when `actor` is not the target's applicant, ValidationFailed for a kind
    this specialty's season does not have, and SignalLimitReached (409 `signal_limit`) when
    every signal of that kind is already held, naming the programs that hold them.
    """
    if getattr(actor, "pk", None) != target.applicant_id:
        raise NotFound()
    valid = {s.value for s in Signal}
    if signal not in valid:
        raise ValidationFailed(errors={"signal": [f"Use one of: {', '.join(sorted(valid))}."]})
    with applicant_transaction():
        lock_for_update(get_user_model(), [target.applicant_id])
        fresh = (
            ProgramTarget.objects.select_related("program__specialty").filter(pk=target.pk).first()
        )
        if fresh is None:
            raise NotFound()
        if fresh.signal == signal:
            return fresh
        if signal != Signal.NONE:
            allowance = signal_allowance(fresh.program.specialty, fresh.season)
            if signal not in allowance.limits:
                kinds = ", ".join(TIER_LABELS[Signal(k)] for k in allowance.limits) or "none"
                raise ValidationFailed(
                    "This specialty has no signal of that kind.",
                    errors={"signal": [f"Signals for this specialty: {kinds}."]},
                )
            holders = signal_holders(target=fresh, signal=signal)
            limit = allowance.limits[signal]
            if len(holders) >= limit:
                names = "; ".join(h.program.name for h in holders)
                kind = TIER_LABELS[Signal(signal)]
                raise SignalLimitReached(
                    f"You have used all {limit} {kind} signal{'s' if limit != 1 else ''} "
                    f"for {fresh.program.specialty.name} this season. Held by: {names}. "
                    "Remove one of them first.",
                    extra={
                        "held_by": [{"target_id": h.pk, "program": h.program.name} for h in holders]
                    },
                )
        previous = fresh.signal
        fresh.signal = signal
        fresh.save(update_fields=["signal", "updated_at"])
        audit_record(
            actor=actor,
            action="eras_target.signal_set",
            target=fresh,
            data={"from": previous, "to": signal, "season": fresh.season},
        )
    target.signal = fresh.signal
    return fresh


@dataclass(frozen=True)
class SignalRow:
    specialty: Specialty
    allowance: Allowance
    used: dict[str, list[ProgramTarget]]
    targets: list[ProgramTarget]

    @property
    def lines(self) -> list[tuple[str, int, list[ProgramTarget]]]:
        return [
            (TIER_LABELS[Signal(kind)], limit, self.used.get(kind, []))
            for kind, limit in self.allowance.limits.items()
        ]


def signal_overview(*, user: Any, season: str) -> list[SignalRow]:
    """Per signal table the applicant has targets in: allowance and who holds each signal.
    Two queries (targets with program and specialty; nothing else)."""
    targets = list(
        ProgramTarget.objects.filter(applicant=user, season=season)
        .select_related("program__specialty")
        .order_by("program__specialty__name", "program__name", "pk")
    )
    rows: dict[str, SignalRow] = {}
    for target in targets:
        specialty = target.program.specialty
        key = specialty.signal_key or specialty.code
        if key not in rows:
            rows[key] = SignalRow(specialty, signal_allowance(specialty, season), {}, [])
        rows[key].targets.append(target)
        if target.signal != Signal.NONE:
            rows[key].used.setdefault(target.signal, []).append(target)
    return list(rows.values())
