"""The signed-in applicant's own evidence per specialty, read through the owning apps'
selectors only: `experience.selectors` (the rotation record), `letters.selectors` and the
applicant's target specialties. Nothing here is ever computed for anyone but the viewer.

Queries: the rotation records (6), competency names (1), letters (1), targets (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchway.accounts.models import ApplicantProfile, Role, User
from matchway.experience.selectors import (
    CompositeRow,
    competencies,
    composite_ratings,
    journal_facts,
    rotation_records_for_applicant,
)
from matchway.letters.selectors import letter_counts_by_specialty
from matchway.reference.models import Specialty


@dataclass
class SpecialtyEvidence:
    code: str
    name: str
    rotations: int = 0
    days: int = 0
    hours: Decimal = Decimal("0")
    cases: int = 0
    by_category: tuple[tuple[str, int], ...] = ()
    by_role: tuple[tuple[str, int], ...] = ()
    skills: tuple[tuple[str, int], ...] = ()
    fit_answers: tuple[str, ...] = ()
    evaluations: int = 0
    ratings: list[CompositeRow] = field(default_factory=list)
    letters: int = 0

    @property
    def rated(self) -> bool:
        return any(row.mean is not None for row in self.ratings)


@dataclass
class Evidence:
    specialties: list[SpecialtyEvidence]
    competency_names: list[str]
    targets_without_rotation: list[Specialty]
    summary: list[str]

    def for_code(self, code: str) -> SpecialtyEvidence | None:
        return next((s for s in self.specialties if s.code == code), None)

    def ratings_table(self) -> list[tuple[str, list[CompositeRow]]]:
        """Per competency, the row of each specialty (same order as `specialties`)."""
        return [
            (name, [s.ratings[index] for s in self.specialties])
            for index, name in enumerate(self.competency_names)
        ]

    @property
    def any_ratings(self) -> bool:
        return any(s.rated for s in self.specialties)


def _targets(user: User) -> list[Specialty]:
    through = ApplicantProfile.target_specialties.through
    rows = (
        through.objects.filter(applicantprofile__user=user)
        .select_related("specialty")
        .order_by("specialty__name")
    )
    return [row.specialty for row in rows]


def _summary(found: list[SpecialtyEvidence]) -> list[str]:
    if not found:
        return [_("You have no confirmed, running or completed rotation yet.")]
    rotations = sum(s.rotations for s in found)
    hours = sum((s.hours for s in found), Decimal("0"))
    days = sum(s.days for s in found)
    lines = [
        ngettext(
            "%(n)s rotation in %(m)s specialty: %(hours)s confirmed hours on %(days)s days.",
            "%(n)s rotations in %(m)s specialties: %(hours)s confirmed hours on %(days)s days.",
            len(found),
        )
        % {"n": rotations, "m": len(found), "hours": hours, "days": days}
    ]
    for item in found:
        parts = [
            ngettext("%(n)s case logged", "%(n)s cases logged", item.cases) % {"n": item.cases},
            ngettext(
                "%(n)s submitted preceptor evaluation",
                "%(n)s submitted preceptor evaluations",
                item.evaluations,
            )
            % {"n": item.evaluations},
            ngettext("%(n)s letter uploaded", "%(n)s letters uploaded", item.letters)
            % {"n": item.letters},
        ]
        if item.fit_answers:
            parts.append(
                ngettext(
                    "%(n)s reflection on how the specialty fits you",
                    "%(n)s reflections on how the specialty fits you",
                    len(item.fit_answers),
                )
                % {"n": len(item.fit_answers)}
            )
        lines.append(f"{item.name}: " + ", ".join(parts) + ".")
    return lines


def applicant_evidence(user: User) -> Evidence | None:
    """The applicant's own evidence, one entry per specialty they rotated in (confirmed,
    running or completed), most hours first. None for anyone who is not an applicant."""
    if not user.is_authenticated or user.role != Role.APPLICANT:
        return None
    records = rotation_records_for_applicant(user, viewer=user)
    infos = competencies()
    letters = letter_counts_by_specialty(viewer=user)
    by_code: dict[str, list] = {}
    names: dict[str, str] = {}
    for record in records:
        specialty = record.rotation.specialty
        by_code.setdefault(specialty.code, []).append(record)
        names[specialty.code] = specialty.name
    found: list[SpecialtyEvidence] = []
    for code, group in by_code.items():
        facts = journal_facts([entry for record in group for entry in record.journal])
        evaluations = [e.current for record in group for e in record.preceptor_evaluations]
        found.append(
            SpecialtyEvidence(
                code=code,
                name=names[code],
                rotations=len(group),
                days=sum(record.attendance_days for record in group),
                hours=sum((record.confirmed_hours for record in group), Decimal("0")),
                cases=facts.cases,
                by_category=facts.by_category,
                by_role=facts.by_role,
                skills=facts.skills,
                fit_answers=facts.fit_answers,
                evaluations=len(evaluations),
                ratings=composite_ratings([e.ratings for e in evaluations], infos),
                letters=letters.get(code, 0),
            )
        )
    found.sort(key=lambda s: (-s.hours, s.name))
    targets = [t for t in _targets(user) if t.code not in by_code]
    return Evidence(
        specialties=found,
        competency_names=[info.short_name for info in infos],
        targets_without_rotation=targets,
        summary=_summary(found),
    )
