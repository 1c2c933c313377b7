"""The season's numbers, read from the ERAS limits data (reference/data/eras_limits.json).

Fee schedules, the Fee Assistance Program, which service a specialty applies through, the
rank list deadline and rules. Nothing here is a constant: every number carries the season
and source it came from, and `status` says when the data itself is not confirmed. A season
is named by its ERAS year ("2027" = ERAS 2027 = Main Residency Match 2027).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from matchway.core.exceptions import ValidationFailed
from matchway.reference.eras import eras_data
from matchway.reference.models import Specialty
from matchway.reference.selectors import application_service

from .. import fees

ERAS = "eras"
RESIDENCYCAS = "residencycas"
SERVICE_LABELS = {ERAS: "ERAS", RESIDENCYCAS: "ResidencyCAS"}
VERIFIED = "verified"
MAX_PROGRAMS_PER_LINE = 1000


@dataclass(frozen=True)
class Sourced:
    """A value with where it came from; `confirmed` is False unless the data says verified."""

    value: Any
    season: str
    source: str
    status: str

    @property
    def confirmed(self) -> bool:
        return self.status.startswith(VERIFIED)


def season_key(raw: str | None) -> str:
    """ "ERAS 2027", "2027" or "2026-27" → "2027"; empty → ''."""
    years = re.findall(r"(?:19|20)\d{2}", raw or "")
    if not years:
        return ""
    if re.fullmatch(r"\s*\d{4}\s*-\s*\d{2}\s*", raw or ""):
        return str(int(years[0]) + 1)
    return years[-1]


def seasons() -> list[str]:
    """The seasons the data knows about (ERAS years), oldest first."""
    data = eras_data()
    known = set((data.get("eras_season_dates") or {}).keys()) | {"2024", "2025"}
    return sorted(k for k in known if re.fullmatch(r"\d{4}", k))


def season_current() -> str:
    """MATCHWAY_SEASON when set, else the newest season in the data."""
    wanted = season_key(getattr(settings, "MATCHWAY_SEASON", None) or "")
    return wanted if wanted in seasons() else seasons()[-1]


def season_resolve(raw: str | None) -> str:
    if not raw:
        return season_current()
    key = season_key(raw)
    if key not in seasons():
        raise ValidationFailed(
            "Unknown season.",
            errors={"season": [f"Use one of: {', '.join(seasons())}."]},
        )
    return key


def _usd_cents(value: Any) -> int:
    return int(Decimal(str(value)) * 100)


def _eras_schedule(season: str) -> fees.Schedule:
    block = eras_data()["eras_residency_fees"]
    if season in ("2024", "2025"):
        old = block["previous_schedule_eras_2024"]
        v = old["value"]
        tiers = (
            fees.Tier(1, 10, _usd_cents(v["up_to_10_flat_usd"]), "flat"),
            fees.Tier(11, 20, _usd_cents(v["11_to_20_each_usd"])),
            fees.Tier(21, 30, _usd_cents(v["21_to_30_each_usd"])),
            fees.Tier(31, None, _usd_cents(v["31_plus_each_usd"])),
        )
        status = old["status"] if season == "2024" else "UNCONFIRMED (secondary sources)"
        return fees.Schedule(ERAS, tiers, old["season"], old["source"], status)
    first = block["first_tier_count"]
    tiers = (
        fees.Tier(1, int(first["value"]), _usd_cents(block["first_tier_price_usd"]["value"])),
        fees.Tier(int(first["value"]) + 1, None, _usd_cents(block["next_tier_price_usd"]["value"])),
    )
    season_label = first["season"]
    status = first["status"]
    if season_key(season_label) != season:
        later = block.get(f"eras_{season}_schedule") or {}
        if later.get("value"):  # pragma: no cover - the data has no later schedule yet
            raise NotImplementedError("A later ERAS schedule needs its tiers read here.")
        status = "UNCONFIRMED"
        season_label = f"{season_label} prices; ERAS {season} prices not confirmed"
    return fees.Schedule(ERAS, tiers, season_label, first["source"], status)


def _residencycas_schedule(season: str) -> fees.Schedule:
    block = eras_data()["residencycas_fees_usd"]
    v = block["value"]
    tiers = (
        fees.Tier(1, 18, _usd_cents(v["programs_1_to_18_flat"]), "flat"),
        fees.Tier(19, 30, _usd_cents(v["programs_19_to_30_each"])),
        fees.Tier(31, None, _usd_cents(v["programs_31_plus_each"])),
    )
    label = block["season"]
    status = block["status"]
    if season_key(label) != season:
        status = "UNCONFIRMED"
        label = f"{label} prices; the {season} cycle's prices are not confirmed"
    return fees.Schedule(RESIDENCYCAS, tiers, label, block["source"], status)


def specialty_service(specialty: Specialty, season: str) -> str:
    """eras or residencycas for this specialty in this season; '' for other services."""
    since = (eras_data().get("application_services") or {}).get("residencycas_since") or {}
    first = (since.get("value") or {}).get(specialty.code)
    if first is not None:
        return RESIDENCYCAS if season >= str(first) else ERAS
    service = application_service(specialty)
    if service == "ERAS":
        return ERAS
    if service == "ResidencyCAS":
        return RESIDENCYCAS
    return ""


def schedule_for(service: str, season: str) -> fees.Schedule:
    return _residencycas_schedule(season) if service == RESIDENCYCAS else _eras_schedule(season)


def fee_assistance(season: str) -> tuple[fees.Discount, Sourced] | None:
    fact = eras_data().get("eras_fee_assistance")
    if not fact or not fact.get("value"):
        return None
    v = fact["value"]
    if season < str(v.get("first_season", "0")):
        return None
    discount = fees.Discount(ERAS, int(v["discount_percent"]), int(v["max_applications"]))
    return discount, Sourced(v, fact["season"], fact["source"], fact["status"])


def parse_counts(raw: str) -> list[tuple[str, int]]:
    """ "140:43,420:7" → [("140", 43), ("420", 7)]; the same code twice adds up."""
    found: dict[str, int] = {}
    problems: list[str] = []
    for chunk in (raw or "").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        code, sep, number = chunk.rpartition(":")
        code = code.strip()
        if not sep or not code or not number.strip().isdigit():
            problems.append(f"“{chunk[:40]}” is not specialty:number.")
            continue
        found[code] = found.get(code, 0) + int(number.strip())
    if not found and not problems:
        problems.append("Give at least one specialty:number, for example 140:43,420:7.")
    if any(n > MAX_PROGRAMS_PER_LINE for n in found.values()):
        problems.append(f"At most {MAX_PROGRAMS_PER_LINE} programs per specialty.")
    if problems:
        raise ValidationFailed("The counts could not be read.", errors={"counts": problems})
    return list(found.items())


@dataclass(frozen=True)
class FeeLine:
    specialty: Specialty
    line: fees.Line
    schedule: fees.Schedule

    @property
    def confirmed(self) -> bool:
        return self.schedule.status.startswith(VERIFIED)

    @property
    def amount(self) -> str:
        return fees.dollars(self.line.amount_cents)

    @property
    def service_label(self) -> str:
        return SERVICE_LABELS.get(self.line.service, self.line.service)


@dataclass(frozen=True)
class FeeEstimate:
    season: str
    lines: list[FeeLine]
    total_cents: int
    fee_assistance: Sourced | None
    unconfirmed: bool

    @property
    def total(self) -> str:
        return fees.dollars(self.total_cents)


def fee_estimate(
    *, season: str, counts: list[tuple[str, int]], fee_assistance_approved: bool = False
) -> FeeEstimate:
    """The estimate for `counts` ([(specialty code, programs)]) in `season`."""
    specialties = Specialty.objects.in_bulk([code for code, _ in counts])
    errors: list[str] = []
    requests: list[fees.Request] = []
    chosen: list[tuple[Specialty, fees.Schedule]] = []
    for code, programs in counts:
        specialty = specialties.get(code)
        if specialty is None:
            errors.append(f"Unknown specialty code “{code[:20]}”; see GET /api/v1/specialties.")
            continue
        service = specialty_service(specialty, season)
        if not service:
            errors.append(f"{specialty.name} does not apply through ERAS or ResidencyCAS.")
            continue
        schedule = schedule_for(service, season)
        requests.append(fees.Request(specialty.name, programs, schedule))
        chosen.append((specialty, schedule))
    if errors:
        raise ValidationFailed("Some specialties cannot be estimated.", errors={"counts": errors})
    assistance = fee_assistance(season) if fee_assistance_approved else None
    result = fees.estimate(requests, discount=assistance[0] if assistance else None)
    lines = [
        FeeLine(specialty, line, schedule)
        for (specialty, schedule), line in zip(chosen, result.lines, strict=True)
    ]
    unconfirmed = any(not s.status.startswith(VERIFIED) for _, s in chosen)
    return FeeEstimate(
        season=season,
        lines=lines,
        total_cents=result.total_cents,
        fee_assistance=assistance[1] if assistance else None,
        unconfirmed=unconfirmed,
    )


def rank_list_deadline(season: str) -> tuple[dt.datetime, Sourced] | None:
    """The Rank Order List certification deadline (aware, Eastern offset) from the data."""
    block = (eras_data().get("rank_order_list") or {}).get("deadlines") or {}
    fact = block.get(season)
    if not fact or not fact.get("value"):
        return None
    when = dt.datetime.fromisoformat(fact["value"])
    return when, Sourced(fact["value"], fact["season"], fact["source"], fact["status"])


def rank_list_rules() -> list[Sourced]:
    block = eras_data().get("rank_order_list") or {}
    return [
        Sourced(block[k]["value"], block[k]["season"], block[k]["source"], block[k]["status"])
        for k in ("algorithm", "max_ranks_per_list", "supplemental_lists")
        if k in block
    ]
