"""Reads for the SOAP cockpit. Every read starts from the viewer's own week, so another
person's rows are never found (404)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.eras.models import Program, RequirementKind
from matchway.reference.eras import eras_fact

from . import schedule
from .models import (
    ListImport,
    OfferStatus,
    PartialMatch,
    PositionCode,
    SoapApplication,
    SoapOffer,
    SoapWeek,
    UnfilledProgram,
    WeekKind,
)


@functools.lru_cache(maxsize=8)
def match_week(season: str) -> schedule.MatchWeek:
    return schedule.match_week(season)


def seasons() -> list[str]:
    return schedule.seasons()


def current_season() -> str:
    return schedule.current_season(clock.now())


def drill_season() -> str:
    return schedule.previous_season(clock.now())


def application_limit() -> int:
    return int(eras_fact("soap.application_limit").value)


def week_now(week: SoapWeek) -> dt.datetime:
    """The week's clock: the real one, or a drill's simulated one (never past the drill's
    Match Day)."""
    now = clock.now()
    if not week.is_drill or week.drill_origin is None or week.drill_started_at is None:
        return now
    if week.drill_finished_at is not None:
        now = min(now, week.drill_finished_at)
    elapsed = (now - week.drill_started_at) * (week.drill_speed or 1)
    simulated = week.drill_origin + elapsed
    return min(simulated, match_week(week.season).match_day.starts_at)


def week_for(user: Any, *, kind: str = WeekKind.REAL, season: str | None = None) -> SoapWeek | None:
    if not getattr(user, "is_authenticated", False) or user.role != Role.APPLICANT:
        return None
    wanted = season or (current_season() if kind == WeekKind.REAL else None)
    qs = SoapWeek.objects.filter(applicant=user, kind=kind)
    if wanted:
        qs = qs.filter(season=wanted)
    return qs.order_by("-season").first()


def latest_import(week: SoapWeek) -> ListImport | None:
    return week.imports.order_by("-round").first()


def import_get(week: SoapWeek, round_: int) -> ListImport | None:
    return week.imports.filter(round=round_).first()


@dataclass(frozen=True)
class Filters:
    specialty: str = ""
    position_type: str = ""
    state: str = ""
    visa: str = ""  # j1 | h1b
    participating_only: bool = False


def allowed_positions(week: SoapWeek) -> set[str] | None:
    """Partially matched applicants see only the other half of their training (NRMP rule)."""
    if week.partial_match == PartialMatch.PRELIMINARY:
        return {PositionCode.ADVANCED}
    if week.partial_match == PartialMatch.ADVANCED:
        return {PositionCode.PRELIMINARY}
    return None


def unfilled_rows(week: SoapWeek, list_import: ListImport, filters: Filters) -> QuerySet[Any]:
    qs = UnfilledProgram.objects.filter(list_import=list_import, list_import__week=week)
    allowed = allowed_positions(week)
    if allowed is not None:
        qs = qs.filter(position_type__in=allowed)
    if filters.specialty:
        qs = qs.filter(specialty__iexact=filters.specialty)
    if filters.position_type:
        qs = qs.filter(position_type=filters.position_type)
    if filters.state:
        qs = qs.filter(state=filters.state.upper())
    if filters.participating_only:
        qs = qs.filter(soap_participating=True)
    return qs.order_by("-soap_participating", "specialty", "name", "program_code")


def visas_for(user: User, rows: list[UnfilledProgram]) -> dict[str, str]:
    """program code → visas sponsored as the ERAS workspace records them (`j1,h1b`, `none`),
    joined by NRMP code or ACGME id over the applicant's own and the shared programs; one
    query. Codes with nothing known are absent."""
    codes = {r.program_code for r in rows if len(r.program_code) == 9}
    acgme = {r.acgme_id for r in rows if r.acgme_id}
    if not codes and not acgme:
        return {}
    programs = (
        Program.objects.filter(Q(owner=user) | Q(owner__isnull=True))
        .filter(Q(nrmp_code__in=codes) | Q(acgme_id__in=acgme))
        .filter(requirements__kind=RequirementKind.VISAS)
        .values_list("nrmp_code", "acgme_id", "owner_id", "requirements__value")
        .order_by("owner_id")  # shared first, the applicant's own entry wins
    )
    by_code: dict[str, str] = {}
    by_acgme: dict[str, str] = {}
    for nrmp_code, acgme_id, _owner, value in programs:
        if nrmp_code:
            by_code[nrmp_code] = value
        by_acgme[acgme_id] = value
    found: dict[str, str] = {}
    for row in rows:
        known = by_code.get(row.program_code) or (
            by_acgme.get(row.acgme_id) if row.acgme_id else None
        )
        if known is not None:
            found[row.program_code] = known.lower().replace(" ", "")
    return found


def visa_matches(value: str | None, wanted: str) -> bool:
    return value is not None and wanted in value.split(",")


@dataclass(frozen=True)
class ListChange:
    added: list[UnfilledProgram]
    removed: list[UnfilledProgram]
    changed: list[tuple[UnfilledProgram, UnfilledProgram]]  # (before, after)


def list_changes(week: SoapWeek, list_import: ListImport) -> ListChange | None:
    """What changed since the previous round's list, or None for the first list."""
    previous = week.imports.filter(round__lt=list_import.round).order_by("-round").first()
    if previous is None:
        return None
    before = {r.program_code: r for r in previous.rows.all()}
    after = {r.program_code: r for r in list_import.rows.all()}
    return ListChange(
        added=[after[c] for c in sorted(after.keys() - before.keys())],
        removed=[before[c] for c in sorted(before.keys() - after.keys())],
        changed=[
            (before[c], after[c])
            for c in sorted(before.keys() & after.keys())
            if (before[c].unfilled_positions, before[c].soap_participating)
            != (after[c].unfilled_positions, after[c].soap_participating)
        ],
    )


def applications(week: SoapWeek) -> QuerySet[SoapApplication]:
    return week.applications.select_related("statement_version").prefetch_related("letters")


def application_get(week: SoapWeek, pk: int) -> SoapApplication | None:
    return week.applications.filter(pk=pk).first()


def offers(week: SoapWeek) -> QuerySet[SoapOffer]:
    return week.offers.all()


def offer_get(week: SoapWeek, pk: int) -> SoapOffer | None:
    return week.offers.filter(pk=pk).first()


def accepted_offer(week: SoapWeek) -> SoapOffer | None:
    return week.offers.filter(status=OfferStatus.ACCEPTED).first()
