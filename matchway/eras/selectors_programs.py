"""Reads for the program side of the ERAS workspace: the applicant's facts for fit, target
rows with their fit (constant queries whatever the number of targets), one target, the
shared list. Another applicant's rows are simply not found (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from matchway.accounts.models import ApplicantProfile, Role, User
from matchway.core import clock
from matchway.experience.selectors import rotation_records_for_applicant
from matchway.letters.selectors import letter_assignment_programs
from matchway.letters.services.assignments import program_key
from matchway.letters.view_models import AssignableLetter

from .fit import (
    ApplicantFacts,
    FitLine,
    Requirement,
    UsceStint,
    fit_lines,
    fit_summary,
    parse_score,
)
from .models import Program, ProgramRequirement, ProgramTarget
from .services.programs import current_season
from .services.targets import program_label

COMPLETED = "completed"


def applicant_facts(*, user: User) -> ApplicantFacts:
    """Profile fields plus USCE confirmed in Matchway: completed rotations that have a valid
    certificate (the rotation record's), never self-report. Seven queries."""
    profile = ApplicantProfile.objects.filter(user=user).first()
    stints = []
    for record in rotation_records_for_applicant(user, viewer=user):
        if record.application.status != COMPLETED or record.certificate is None:
            continue
        session = record.session
        stints.append(
            UsceStint(
                title=record.rotation.title,
                hands_on=bool(record.rotation.hands_on),
                start_date=session.start_date,
                end_date=session.end_date,
                certificate=record.certificate.number,
            )
        )
    today = clock.viewer_today()
    if profile is None:
        return ApplicantFacts(today=today, usce=tuple(stints))
    return ApplicantFacts(
        today=today,
        step2_score=parse_score(profile.usmle_step2ck),
        attempts=profile.usmle_attempts,
        graduation_year=profile.graduation_year,
        is_graduate=profile.is_graduate,
        visa_need=profile.visa_need,
        ecfmg_status=profile.ecfmg_status,
        usce=tuple(stints),
    )


def requirements_of(program: Program) -> list[Requirement]:
    return [
        Requirement(
            kind=r.kind,
            value=r.value,
            strictness=r.strictness,
            source_url=r.source_url,
            checked_on=r.checked_on,
        )
        for r in program.requirements.all()
    ]


@dataclass
class TargetRow:
    target: ProgramTarget
    lines: list[FitLine]
    fit: str
    letters: list[tuple[int, AssignableLetter]]

    @property
    def program(self) -> Program:
        return self.target.program


@dataclass(frozen=True)
class TargetFilters:
    specialty: str = ""
    state: str = ""
    fit: str = ""
    status: str = ""
    signal: str = ""

    @classmethod
    def from_query(cls, query: Any) -> TargetFilters:
        return cls(
            **{
                name: str(query.get(name, "") or "")[:30]
                for name in ("specialty", "state", "fit", "status", "signal")
            }
        )


def target_queryset_for_user(*, user: User) -> QuerySet[ProgramTarget]:
    if not user.is_authenticated or user.role != Role.APPLICANT:
        return ProgramTarget.objects.none()
    return (
        ProgramTarget.objects.filter(applicant=user, season=current_season())
        .select_related("program__specialty", "statement_version__statement")
        .prefetch_related(
            Prefetch(
                "program__requirements",
                queryset=ProgramRequirement.objects.order_by("kind", "pk"),
            )
        )
        .order_by("program__name", "pk")
    )


def target_rows_for_user(
    *, user: User, filters: TargetFilters | None = None, facts: ApplicantFacts | None = None
) -> list[TargetRow]:
    """The applicant's targets this season with fit lines and assigned letters, filtered.
    A constant number of queries (targets, requirements, facts, letters) for any count."""
    filters = filters or TargetFilters()
    query = target_queryset_for_user(user=user)
    if filters.specialty:
        query = query.filter(program__specialty_id=filters.specialty)
    if filters.state:
        query = query.filter(program__state=filters.state.upper())
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.signal:
        query = query.filter(signal=filters.signal)
    targets = list(query)
    if not targets:
        return []
    facts = facts or applicant_facts(user=user)
    letters = {p.key: p.letters for p in letter_assignment_programs(viewer=user)}
    rows = []
    for target in targets:
        lines = fit_lines(requirements_of(target.program), facts)
        row = TargetRow(
            target=target,
            lines=lines,
            fit=fit_summary(lines),
            letters=letters.get(program_key(program_label(target)), []),
        )
        if filters.fit and row.fit != filters.fit:
            continue
        rows.append(row)
    return rows


def target_get_for_user(*, user: User, pk: int) -> ProgramTarget | None:
    return target_queryset_for_user(user=user).filter(pk=pk).first()


def target_row_for_user(*, user: User, pk: int) -> TargetRow | None:
    target = target_get_for_user(user=user, pk=pk)
    if target is None:
        return None
    lines = fit_lines(requirements_of(target.program), applicant_facts(user=user))
    letters = {p.key: p.letters for p in letter_assignment_programs(viewer=user)}
    return TargetRow(
        target=target,
        lines=lines,
        fit=fit_summary(lines),
        letters=letters.get(program_key(program_label(target)), []),
    )


def target_filter_choices(*, user: User) -> dict[str, list[tuple[str, str]]]:
    """Specialties and states present in the applicant's list, for the filter form."""
    rows = (
        target_queryset_for_user(user=user)
        .values_list("program__specialty_id", "program__specialty__name", "program__state")
        .order_by()
        .distinct()
    )
    specialties: dict[str, str] = {}
    states: set[str] = set()
    for code, name, state in rows:
        specialties[code] = name
        if state:
            states.add(state)
    return {
        "specialties": sorted(specialties.items(), key=lambda item: item[1]),
        "states": [(s, s) for s in sorted(states)],
    }


def shared_program_list(*, q: str = "") -> QuerySet[Program]:
    query = (
        Program.objects.filter(owner__isnull=True)
        .select_related("specialty")
        .prefetch_related("requirements")
        .order_by("name", "pk")
    )
    if q:
        query = query.filter(Q(name__icontains=q) | Q(acgme_id__startswith=q))
    return query


def shared_program_get(*, pk: int) -> Program | None:
    return Program.objects.filter(owner__isnull=True, pk=pk).first()


def own_acgme_ids(*, user: User) -> set[str]:
    return set(Program.objects.filter(owner=user).values_list("acgme_id", flat=True))
