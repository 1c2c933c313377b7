"""Reads over the reference data for the specialty pages and `/api/v1/specialties/{code}`.

Everything here is data (specialties.csv, specialty_profiles.csv, match_outcomes.csv,
eras_limits.json); a missing value stays None and is shown as "not available", never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from .eras import eras_data
from .models import MatchOutcome, Specialty

# Services other than ERAS, as specialties.csv names them in its notes.
OTHER_SERVICES = ("ResidencyCAS", "SF Match")


@dataclass(frozen=True)
class SignalFacts:
    """Program signals for one specialty: the newest season in the data (`current_*`) and
    the newest season that has a figure for this specialty (`season`, `status`, `source`)."""

    current_season: str
    current_status: str
    season: str
    status: str
    source: str
    gold: int | None
    silver: int | None
    signals: int | None

    @property
    def is_current(self) -> bool:
        return self.season == self.current_season

    @property
    def total(self) -> int:
        return (self.signals or 0) + (self.gold or 0) + (self.silver or 0)


def specialty_list() -> QuerySet[Specialty]:
    return Specialty.objects.order_by("name")


def _outcomes() -> Prefetch[Any]:
    return Prefetch("match_outcomes", queryset=MatchOutcome.objects.order_by("year", "label"))


def specialty_list_with_outcomes() -> list[Specialty]:
    """Every specialty by name with its outcome rows (oldest first): two queries."""
    return list(Specialty.objects.order_by("name").prefetch_related(_outcomes()))


def specialty_get(code: str) -> Specialty | None:
    return (
        Specialty.objects.filter(code=code)
        .prefetch_related(
            Prefetch("match_outcomes", queryset=MatchOutcome.objects.order_by("year", "label"))
        )
        .first()
    )


def specialties_get(codes: list[str]) -> list[Specialty]:
    """The specialties with these codes, in the order asked, outcomes prefetched."""
    found = {
        s.code: s
        for s in Specialty.objects.filter(code__in=codes).prefetch_related(
            Prefetch("match_outcomes", queryset=MatchOutcome.objects.order_by("year", "label"))
        )
    }
    return [found[c] for c in codes if c in found]


def outcomes_for(specialty: Specialty) -> list[MatchOutcome]:
    """Oldest year first (uses the prefetch from `specialty_get`/`specialties_get`)."""
    return list(specialty.match_outcomes.all())


def outcomes_all_specialties() -> list[MatchOutcome]:
    """The rows about the whole Match ("ALL PGY-1"), the only rows with US MD seniors."""
    return list(MatchOutcome.objects.filter(specialty__isnull=True).order_by("year", "label"))


def application_service(specialty: Specialty) -> str:
    """ERAS, or the other service named in specialties.csv's notes."""
    if specialty.eras_participating:
        return "ERAS"
    for name in OTHER_SERVICES:
        if name in specialty.notes or name == specialty.match_type:
            return name
    return ""


def application_service_unconfirmed(specialty: Specialty) -> bool:
    return "participation UNCONFIRMED" in specialty.notes


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def signal_facts(specialty: Specialty) -> SignalFacts | None:
    """The signal counts for this specialty from eras_limits.json, newest season first.
    None when no season's table names the specialty."""
    seasons: dict[str, Any] = eras_data().get("program_signals", {})
    if not seasons or not specialty.signal_key:
        return None
    ordered = sorted(seasons)
    current = seasons[ordered[-1]]
    for name in reversed(ordered):
        entry = seasons[name]
        value = (entry.get("value") or {}).get(specialty.signal_key)
        if isinstance(value, dict):
            return SignalFacts(
                current_season=str(current.get("season") or ordered[-1]),
                current_status=str(current.get("status") or ""),
                season=str(entry.get("season") or name),
                status=str(entry.get("status") or ""),
                source=str(entry.get("source") or ""),
                gold=_count(value.get("gold")),
                silver=_count(value.get("silver")),
                signals=_count(value.get("signals")),
            )
    return None
