"""Reads for the rotation experience, filtered by who is asking. Hidden means 404.

Who sees what:
- the applicant: their own journal, attendance, evaluations about them (once submitted),
  their self-assessments, certificates and ERAS drafts;
- a preceptor of the rotation: journal entries the applicant shared, attendance, their own
  evaluations;
- a coordinator: attendance, preceptor evaluations, certificates — never journal contents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

from django.db.models import Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from matchway.accounts.models import Role, User
from matchway.core.exceptions import NotFound
from matchway.experience.models import (
    CONFIDENTIAL_FIELDS,
    AttendanceRecord,
    Certificate,
    Evaluation,
    EvaluationKind,
    JournalEntry,
    RenderState,
)

# Re-exported: letters and statements read a rotation only through this module
# (tests/test_import_rules.py), and the record's journal entries carry a `JournalKind`.
from matchway.experience.models import JournalKind as JournalKind
from matchway.experience.services.evaluations import CompositeRow as CompositeRow
from matchway.experience.services.evaluations import competencies as competencies
from matchway.experience.services.evaluations import composite_ratings as composite_ratings
from matchway.experience.services.evaluations import effective_evaluation
from matchway.experience.services.journal import CASE_ROLES, CATEGORIES, procedure_counts
from matchway.rotations.models import Application, ApplicationStatus

EXPERIENCE_STATUSES = (ApplicationStatus.IN_PROGRESS, ApplicationStatus.COMPLETED)
APPLICATION_RELATED = (
    "applicant",
    "session__rotation__site__state",
    "session__rotation__specialty",
)


def is_preceptor_of(user: User, application: Application) -> bool:
    if user.role != Role.PRECEPTOR:
        return False
    return application.session.rotation.preceptors.filter(pk=user.pk).exists()


def experience_applications_for_user(user: User) -> QuerySet[Application]:
    """Rotations with an experience (in progress or completed) the person may open."""
    base = (
        Application.objects.filter(status__in=EXPERIENCE_STATUSES)
        .select_related(*APPLICATION_RELATED)
        .order_by("-session__start_date", "pk")
    )
    if user.role == Role.COORDINATOR:
        return base
    if user.role == Role.PRECEPTOR:
        return base.filter(session__rotation__preceptors=user)
    return base.filter(applicant=user)


# purpose → roles allowed beyond the owner ("preceptor" means a preceptor of the rotation)
PURPOSES: dict[str, tuple[str, ...]] = {
    "overview": ("preceptor", "coordinator"),
    "journal": ("preceptor",),
    "attendance": ("preceptor", "coordinator"),
    "evaluations": ("preceptor", "coordinator"),
    "eras": (),
    "certificate": ("coordinator",),
}


def experience_application_get_for_user(
    *, user: User, application_id: int, purpose: str
) -> Application:
    """The application if `user` may see it for `purpose`; Http404 otherwise."""
    allowed = PURPOSES[purpose]
    application = (
        Application.objects.filter(pk=application_id, status__in=EXPERIENCE_STATUSES)
        .select_related(*APPLICATION_RELATED)
        .first()
    )
    if application is None:
        raise Http404
    if application.applicant_id == user.pk:
        return application
    if user.role == Role.COORDINATOR and "coordinator" in allowed:
        return application
    if "preceptor" in allowed and is_preceptor_of(user, application):
        return application
    raise Http404


def viewer_role(user: User, application: Application) -> str:
    if application.applicant_id == user.pk:
        return "owner"
    if user.role == Role.COORDINATOR:
        return "coordinator"
    return "preceptor"


# --- The rotation record: the one read path for letters, statements and ERAS drafts -----

# Applications that have a record worth reading (booked for sure, running, or done).
RECORD_STATUSES = (
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.COMPLETED,
)
# For type hints in apps that must not import `rotations` (letters, statements).
RotationApplication: TypeAlias = Application


@dataclass(frozen=True)
class EvaluationRecord:
    """A submitted evaluation as it counts now: `current` is the newest submitted addendum
    (or the original when there is none); `original` and `addenda` show the history."""

    original: Evaluation
    addenda: tuple[Evaluation, ...]
    current: Evaluation

    @property
    def kind(self) -> str:
        return self.original.kind

    @property
    def phase(self) -> str:
        return self.original.phase

    @property
    def evaluator_label(self) -> str:
        if self.original.evaluator is not None:
            return self.original.evaluator.full_name
        return self.original.evaluator_name


@dataclass(frozen=True)
class RotationRecord:
    """What one viewer may see of what happened on one rotation (see docs/dev/rotation-record.md).

    `viewer_role` is "owner" (the applicant), "preceptor" (of this rotation) or
    "coordinator". Journal entries are never drafts; the rotation's preceptor gets only the
    entries the applicant shared, a coordinator none. Evaluations are submitted ones in their
    current version. `certificate` is the valid, rendered one (owner and coordinator only).
    """

    application: Application
    viewer_role: str
    attendance: tuple[AttendanceRecord, ...]
    confirmed_hours: Decimal
    journal: tuple[JournalEntry, ...]
    evaluations: tuple[EvaluationRecord, ...]
    certificate: Certificate | None
    preceptors: tuple[User, ...]

    @property
    def session(self) -> Any:
        return self.application.session

    @property
    def rotation(self) -> Any:
        return self.application.session.rotation

    @property
    def attendance_days(self) -> int:
        return len(self.attendance)

    @property
    def preceptor_evaluations(self) -> tuple[EvaluationRecord, ...]:
        return tuple(e for e in self.evaluations if e.kind == EvaluationKind.PRECEPTOR)


def _record_role(viewer: User, applicant_id: int) -> str | None:
    if viewer.pk == applicant_id:
        return "owner"
    if viewer.role == Role.COORDINATOR:
        return "coordinator"
    if viewer.role == Role.PRECEPTOR:
        return "preceptor"
    return None


def _record_queryset(viewer: User, role: str) -> QuerySet[Application]:
    """Applications with everything a record needs, in 1 + 5 queries (4 for a preceptor)."""
    journal = JournalEntry.objects.filter(is_draft=False).order_by("entry_date", "pk")
    evaluations = (
        Evaluation.objects.filter(submitted_at__isnull=False)
        .select_related("evaluator")
        .order_by("submitted_at", "pk")
    )
    certificates = Certificate.objects.filter(
        revoked_at__isnull=True, render_state=RenderState.DONE
    ).order_by("-issued_at", "-pk")
    if role == "owner":
        # The confidential part is never read on the applicant's behalf (see _record_from).
        evaluations = evaluations.filter(
            Q(kind=EvaluationKind.PRECEPTOR) | Q(kind=EvaluationKind.SELF)
        ).defer(*CONFIDENTIAL_FIELDS)
    else:
        journal = journal.filter(shared_with_preceptor=True)
        evaluations = evaluations.filter(kind=EvaluationKind.PRECEPTOR)
    if role == "coordinator":
        # The journal is the applicant's; sharing opens it to the preceptor who teaches them,
        # not to the provider's staff (the experience pages hold the same rule).
        journal = journal.none()
    if role == "preceptor":
        evaluations = evaluations.filter(evaluator=viewer)
        certificates = certificates.none()  # certificates are the owner's and coordinators'
    prefetches: list[Any] = [
        Prefetch("attendance", queryset=AttendanceRecord.objects.order_by("day")),
        Prefetch("journal", queryset=journal, to_attr="record_journal"),
        Prefetch("evaluations", queryset=evaluations, to_attr="record_evaluations"),
        Prefetch(
            "session__rotation__preceptors",
            queryset=User.objects.order_by("full_name", "pk"),
            to_attr="record_preceptors",
        ),
    ]
    if role != "preceptor":
        prefetches.append(
            Prefetch("certificates", queryset=certificates, to_attr="record_certificates")
        )
    query = Application.objects.select_related(*APPLICATION_RELATED).prefetch_related(*prefetches)
    if role == "preceptor":
        query = query.filter(
            status__in=RECORD_STATUSES, session__rotation__preceptors=viewer
        ).distinct()
    return query


def evaluations_redacted(rows: Iterable[Evaluation]) -> list[Evaluation]:
    """The applicant's copies: confidential fields blanked (load them with
    `.defer(*CONFIDENTIAL_FIELDS)` so they are not even read). Every read of evaluations on
    the applicant's behalf goes through this (docs/dev/evaluations-confidentiality.md)."""
    return [row.redact_confidential() for row in rows]


def _evaluation_records(rows: list[Evaluation]) -> tuple[EvaluationRecord, ...]:
    addenda: dict[int, list[Evaluation]] = defaultdict(list)
    for row in rows:
        if row.addendum_to_id is not None:
            addenda[row.addendum_to_id].append(row)
    return tuple(
        EvaluationRecord(
            original=row,
            addenda=tuple(addenda.get(row.pk, [])),
            current=effective_evaluation(row, addenda.get(row.pk, [])),
        )
        for row in rows
        if row.addendum_to_id is None
    )


def _record_from(application: Application, role: str) -> RotationRecord:
    attendance = tuple(application.attendance.all())
    certificates: list[Certificate] = getattr(application, "record_certificates", [])
    return RotationRecord(
        application=application,
        viewer_role=role,
        attendance=attendance,
        confirmed_hours=sum((a.hours for a in attendance), Decimal("0")).quantize(Decimal("0.1")),
        journal=tuple(application.record_journal),  # type: ignore[attr-defined]
        evaluations=_evaluation_records(
            evaluations_redacted(application.record_evaluations)  # type: ignore[attr-defined]
            if role == "owner"
            else application.record_evaluations  # type: ignore[attr-defined]
        ),
        certificate=certificates[0] if certificates else None,
        preceptors=tuple(application.session.rotation.record_preceptors),  # type: ignore[attr-defined]
    )


def rotation_record(application: Application, *, viewer: User) -> RotationRecord:
    """The record of one rotation as `viewer` may see it; `NotFound` when hidden.

    The applicant sees their own application in any status; a coordinator any application;
    a preceptor only applications (confirmed, in progress, completed) in rotations they
    precept. Six queries whatever the amount of data (five for a preceptor).
    """
    role = _record_role(viewer, application.applicant_id)
    if role is None:
        raise NotFound()
    found = _record_queryset(viewer, role).filter(pk=application.pk).first()
    if found is None:
        raise NotFound()
    return _record_from(found, role)


def rotation_records_for_applicant(user: User, *, viewer: User) -> list[RotationRecord]:
    """Records of `user`'s confirmed, running and completed rotations that `viewer` may see,
    newest first. An outsider gets an empty list. Six queries (five for a preceptor)."""
    role = _record_role(viewer, user.pk)
    if role is None:
        return []
    query = (
        _record_queryset(viewer, role)
        .filter(applicant=user, status__in=RECORD_STATUSES)
        .order_by("-session__start_date", "-pk")
    )
    return [_record_from(application, role) for application in query]


def rotation_applications_for_applicant(
    user: User, *, statuses: tuple[str, ...] = EXPERIENCE_STATUSES
) -> QuerySet[Application]:
    """The applicant's own applications (default: in progress or completed) with session,
    rotation, site and preceptors loaded, newest first: for pickers such as the letter form."""
    if user.role != Role.APPLICANT:
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=user, status__in=statuses)
        .select_related(*APPLICATION_RELATED)
        .prefetch_related("session__rotation__preceptors__preceptor_profile")
        .order_by("-session__start_date", "-pk")
    )


def rotation_preceptors_for_applicant(
    user: User, *, statuses: tuple[str, ...] = RECORD_STATUSES
) -> QuerySet[User]:
    """Active preceptors of the applicant's rotations (confirmed, running or completed)."""
    rotations = Application.objects.filter(applicant=user, status__in=statuses).values(
        "session__rotation"
    )
    return (
        User.objects.filter(
            role=Role.PRECEPTOR, is_active=True, precepted_rotations__in=Subquery(rotations)
        )
        .distinct()
        .order_by("full_name")
    )


@dataclass(frozen=True)
class JournalFacts:
    """Counted facts from saved journal entries (a record's `journal`): cases by diagnosis
    category (the complaint category when no diagnosis was chosen) and by the applicant's
    role, skills named in case logs, and the answers to "How this specialty fits me"."""

    cases: int
    by_category: tuple[tuple[str, int], ...]
    by_role: tuple[tuple[str, int], ...]
    skills: tuple[tuple[str, int], ...]
    fit_answers: tuple[str, ...]


def _ranked(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def journal_facts(entries: tuple[JournalEntry, ...] | list[JournalEntry]) -> JournalFacts:
    """Pure: counts over entries already read (drafts are skipped). No queries."""
    saved = [e for e in entries if not e.is_draft]
    cases = [e for e in saved if e.kind == JournalKind.CASE_LOG]
    categories, roles = dict(CATEGORIES), dict(CASE_ROLES)
    by_category: dict[str, int] = defaultdict(int)
    by_role: dict[str, int] = defaultdict(int)
    for entry in cases:
        category = str(entry.data.get("diagnosis") or entry.data.get("complaint") or "")
        if category:
            by_category[str(categories.get(category, category))] += 1
        role = str(entry.data.get("role") or "")
        if role:
            by_role[str(roles.get(role, role))] += 1
    fit = tuple(
        " ".join(str(e.data.get("fit") or "").split())
        for e in sorted(saved, key=lambda e: (e.entry_date, e.pk or 0))
        if e.kind == JournalKind.REFLECTION and str(e.data.get("fit") or "").strip()
    )
    return JournalFacts(
        cases=len(cases),
        by_category=_ranked(by_category),
        by_role=tuple(
            (str(label), by_role[str(label)]) for _key, label in CASE_ROLES if by_role[str(label)]
        ),
        skills=_ranked(dict(procedure_counts(cases))),
        fit_answers=fit,
    )
