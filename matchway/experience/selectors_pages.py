"""Reads behind the experience pages (journal, attendance, evaluations, certificates, ERAS
drafts), filtered by who is asking. Access helpers and the rotation record live in
`experience.selectors`; this module builds on them. Hidden means 404.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.experience.models import (
    CONFIDENTIAL_FIELDS,
    AttendanceRecord,
    Certificate,
    ErasExperienceDraft,
    ErasExperienceDraftVersion,
    Evaluation,
    EvaluationKind,
    EvaluationPhase,
    JournalComment,
    JournalEntry,
    JournalKind,
)
from matchway.experience.selectors import (
    APPLICATION_RELATED,
    EXPERIENCE_STATUSES,
    evaluations_redacted,
    is_preceptor_of,
    viewer_role,
)
from matchway.experience.services.evaluations import (
    CompetencyInfo,
    CompositeRow,
    competencies,
    composite_ratings,
    effective_evaluation,
)
from matchway.experience.services.journal import CASE_ROLES, CATEGORIES, SETTINGS, procedure_counts
from matchway.rotations.models import Application, ApplicationStatus

# --- Journal --------------------------------------------------------------------------


def journal_entries_for_user(*, user: User, application: Application) -> QuerySet[JournalEntry]:
    entries = JournalEntry.objects.filter(application=application).order_by("-entry_date", "-pk")
    if application.applicant_id == user.pk:
        return entries
    if is_preceptor_of(user, application):
        return entries.filter(shared_with_preceptor=True, is_draft=False)
    return entries.none()


def journal_entry_get_for_user(
    *, user: User, application: Application, entry_id: int
) -> JournalEntry:
    entry = (
        journal_entries_for_user(user=user, application=application)
        .filter(pk=entry_id)
        .prefetch_related(
            Prefetch("comments", queryset=JournalComment.objects.select_related("author"))
        )
        .first()
    )
    if entry is None:
        raise Http404
    entry.application = application  # reuse the already-loaded relations
    return entry


@dataclass
class WeekDigest:
    start: dt.date
    end: dt.date
    entries: int = 0
    hours: Decimal = Decimal("0")
    confirmed_hours: Decimal = Decimal("0")
    cases: int = 0
    reflections: int = 0
    pre_roundings: int = 0
    teaching_points: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


@dataclass
class JournalSummary:
    entries: int
    drafts: int
    hours_logged: Decimal
    hours_confirmed: Decimal
    by_kind: dict[str, int]
    by_complaint: list[tuple[str, int]]
    by_diagnosis: list[tuple[str, int]]
    by_setting: list[tuple[str, int]]
    by_role: list[tuple[str, int]]
    skills: list[tuple[str, int]]
    weeks: list[WeekDigest]


def _counted(values: list[str], choices: tuple[tuple[str, Any], ...]) -> list[tuple[str, int]]:
    labels = dict(choices)
    counts = Counter(v for v in values if v)
    return [
        (str(labels.get(k, k)), n)
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def journal_summary(application: Application, entries: list[JournalEntry]) -> JournalSummary:
    """Hours, cases by category, skills and a weekly digest from saved entries only."""
    saved = [e for e in entries if not e.is_draft]
    cases = [e for e in saved if e.kind == JournalKind.CASE_LOG]
    skills = procedure_counts(cases)
    confirmed = {r.day: r.hours for r in AttendanceRecord.objects.filter(application=application)}
    start = application.session.start_date
    end = application.session.end_date
    weeks: list[WeekDigest] = []
    week_start = start - dt.timedelta(days=start.weekday())
    while week_start <= end:
        week_end = week_start + dt.timedelta(days=6)
        digest = WeekDigest(start=max(week_start, start), end=min(week_end, end))
        digest.confirmed_hours = sum(
            (h for d, h in confirmed.items() if digest.start <= d <= digest.end), Decimal("0")
        )
        weeks.append(digest)
        week_start += dt.timedelta(days=7)
    for entry in sorted(saved, key=lambda e: (e.entry_date, e.pk)):
        found = next((w for w in weeks if w.start <= entry.entry_date <= w.end), None)
        if found is None:
            continue
        digest = found
        digest.entries += 1
        digest.hours += entry.hours or Decimal("0")
        if entry.kind == JournalKind.CASE_LOG:
            digest.cases += 1
            point = str(entry.data.get("teaching_point") or "").strip()
            if point:
                digest.teaching_points.append(point)
        elif entry.kind == JournalKind.REFLECTION:
            digest.reflections += 1
            step = str(entry.data.get("next_time") or "").strip()
            if step:
                digest.next_steps.append(step)
        else:
            digest.pre_roundings += 1
    return JournalSummary(
        entries=len(saved),
        drafts=len(entries) - len(saved),
        hours_logged=sum((e.hours or Decimal("0") for e in saved), Decimal("0")),
        hours_confirmed=sum(confirmed.values(), Decimal("0")),
        by_kind={k: sum(1 for e in saved if e.kind == k) for k in JournalKind.values},
        by_complaint=_counted([str(e.data.get("complaint", "")) for e in cases], CATEGORIES),
        by_diagnosis=_counted([str(e.data.get("diagnosis", "")) for e in cases], CATEGORIES),
        by_setting=_counted([str(e.data.get("setting", "")) for e in cases], SETTINGS),
        by_role=_counted([str(e.data.get("role", "")) for e in cases], CASE_ROLES),
        skills=sorted(skills.items(), key=lambda kv: (-kv[1], kv[0])),
        weeks=weeks,
    )


# --- Attendance -----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceDay:
    day: dt.date
    hours: Decimal | None
    confirmed_by: str
    in_future: bool

    @property
    def field_name(self) -> str:
        return f"day_{self.day.isoformat()}"

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


def attendance_weeks(
    application: Application, *, today: dt.date | None = None
) -> list[list[AttendanceDay | None]]:
    """The session's days as calendar weeks (Monday first; None pads outside the dates)."""
    current = today or clock.site_today(application.session.rotation.site)
    records = {
        r.day: r
        for r in AttendanceRecord.objects.filter(application=application).select_related(
            "confirmed_by"
        )
    }
    start, end = application.session.start_date, application.session.end_date
    weeks: list[list[AttendanceDay | None]] = []
    cursor = start - dt.timedelta(days=start.weekday())
    while cursor <= end:
        week: list[AttendanceDay | None] = []
        for offset in range(7):
            day = cursor + dt.timedelta(days=offset)
            if not start <= day <= end:
                week.append(None)
                continue
            record = records.get(day)
            week.append(
                AttendanceDay(
                    day=day,
                    hours=record.hours if record else None,
                    confirmed_by=record.confirmed_by.full_name if record else "",
                    in_future=day > current,
                )
            )
        weeks.append(week)
        cursor += dt.timedelta(days=7)
    return weeks


def attendance_total(application: Application) -> Decimal:
    total = AttendanceRecord.objects.filter(application=application).aggregate(t=Sum("hours"))
    return Decimal(total["t"] or 0)


# --- Evaluations ----------------------------------------------------------------------


@dataclass
class EvaluationThread:
    """An evaluation with its addenda; `effective` is the version that counts."""

    root: Evaluation
    addenda: list[Evaluation]

    @property
    def effective(self) -> Evaluation:
        return effective_evaluation(self.root, self.addenda)

    @property
    def submitted(self) -> bool:
        return self.root.submitted_at is not None

    @property
    def evaluator_label(self) -> str:
        if self.root.evaluator is not None:
            return self.root.evaluator.full_name
        return self.root.evaluator_name


@dataclass
class EvaluationOverview:
    competencies: list[CompetencyInfo]
    preceptor_threads: list[EvaluationThread]
    self_threads: list[EvaluationThread]
    composite: list[CompositeRow]
    composite_phase: str
    self_ratings: dict[str, int | None] | None


def _threads(rows: list[Evaluation]) -> list[EvaluationThread]:
    roots = [r for r in rows if r.addendum_to_id is None]
    addenda: dict[int, list[Evaluation]] = defaultdict(list)
    for row in rows:
        if row.addendum_to_id is not None:
            addenda[row.addendum_to_id].append(row)
    return [EvaluationThread(root=r, addenda=addenda.get(r.pk, [])) for r in roots]


def evaluation_overview_for_user(*, user: User, application: Application) -> EvaluationOverview:
    """Evaluations of one application as `user` may see them, plus the composite.

    The applicant sees preceptor evaluations only once submitted, and their own
    self-assessments; a preceptor sees their own; a coordinator sees every preceptor
    evaluation (content once submitted) but not the applicant's self-assessment.
    """
    role = viewer_role(user, application)
    query = (
        Evaluation.objects.filter(application=application)
        .select_related("evaluator")
        .order_by("created_at", "pk")
    )
    if role == "owner":
        # The confidential part is never read for the applicant, and blanked in memory.
        rows = evaluations_redacted(query.defer(*CONFIDENTIAL_FIELDS))
    else:
        rows = list(query)
    threads = _threads(rows)
    preceptor = [t for t in threads if t.root.kind == EvaluationKind.PRECEPTOR]
    selfs = [t for t in threads if t.root.kind == EvaluationKind.SELF]
    if role == "owner":
        preceptor = [t for t in preceptor if t.submitted]
    elif role == "preceptor":
        preceptor = [t for t in preceptor if t.root.evaluator_id == user.pk]
        selfs = []
    else:
        selfs = []
    infos = competencies()
    submitted = [t for t in preceptor if t.submitted]
    finals = [t for t in submitted if t.root.phase == EvaluationPhase.FINAL]
    chosen = finals or submitted
    phase = EvaluationPhase.FINAL if finals else EvaluationPhase.MIDPOINT
    composite = composite_ratings([t.effective.ratings for t in chosen], infos) if chosen else []
    self_ratings = None
    if role == "owner":
        same_phase = [t for t in selfs if t.root.phase == phase] or selfs
        if same_phase:
            self_ratings = dict(same_phase[0].effective.ratings)
    return EvaluationOverview(
        competencies=infos,
        preceptor_threads=preceptor,
        self_threads=selfs,
        composite=composite,
        composite_phase=str(phase),
        self_ratings=self_ratings,
    )


def evaluation_get_for_user(*, user: User, evaluation_id: int) -> Evaluation:
    """An evaluation its author may open (to fill in, view, or add an addendum)."""
    evaluation = (
        Evaluation.objects.filter(pk=evaluation_id, evaluator=user)
        .select_related(*(f"application__{r}" for r in APPLICATION_RELATED), "evaluator")
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def evaluations_pending_for_user(user: User) -> QuerySet[Evaluation]:
    """Preceptor evaluations not submitted yet: all (coordinator) or their own (preceptor)."""
    pending = (
        Evaluation.objects.filter(
            kind=EvaluationKind.PRECEPTOR,
            submitted_at__isnull=True,
            addendum_to__isnull=True,
            application__status__in=EXPERIENCE_STATUSES,
        )
        .select_related(*(f"application__{r}" for r in APPLICATION_RELATED), "evaluator")
        .order_by("due_on", "pk")
    )
    if user.role == Role.COORDINATOR:
        return pending
    if user.role == Role.PRECEPTOR:
        return pending.filter(evaluator=user)
    return pending.none()


# --- Certificates ---------------------------------------------------------------------


CERTIFICATE_RELATED = (
    *(f"application__{r}" for r in APPLICATION_RELATED),
    "issued_by",
    "revoked_by",
)


def certificate_get_for_user(*, user: User, number: str) -> Certificate:
    """A certificate's private page: the coordinator, or the applicant it was issued to."""
    query = Certificate.objects.filter(number=number).select_related(*CERTIFICATE_RELATED)
    if user.role != Role.COORDINATOR:
        query = query.filter(application__applicant=user)
    certificate = query.first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_get_public(number: str) -> Certificate | None:
    if not number or len(number) > 20:
        return None
    return Certificate.objects.filter(number=number.strip().upper()).first()


def certificates_for_application(application: Application) -> list[Certificate]:
    return list(
        Certificate.objects.filter(application=application)
        .select_related("issued_by")
        .order_by("-issued_at")
    )


def certificate_list(*, q: str = "") -> QuerySet[Certificate]:
    query = Certificate.objects.select_related(*CERTIFICATE_RELATED).order_by("-issued_at", "-pk")
    if q:
        query = query.filter(
            Q(number__icontains=q)
            | Q(application__applicant__full_name__icontains=q)
            | Q(application__session__rotation__title__icontains=q)
        )
    return query


def certificate_list_for_applicant(*, user: User) -> QuerySet[Certificate]:
    """The certificates issued to this applicant, newest first ("My certificates")."""
    return (
        Certificate.objects.filter(application__applicant=user)
        .select_related(*CERTIFICATE_RELATED)
        .order_by("-issued_at", "-pk")
    )


def applications_ready_for_certificate() -> QuerySet[Application]:
    """Completed, evaluated, with hours, and no valid certificate yet (coordinator panel)."""
    evaluated = Evaluation.objects.filter(
        application=OuterRef("pk"), kind=EvaluationKind.PRECEPTOR, submitted_at__isnull=False
    )
    attended = AttendanceRecord.objects.filter(application=OuterRef("pk"), hours__gt=0)
    certified = Certificate.objects.filter(application=OuterRef("pk"), revoked_at__isnull=True)
    return (
        Application.objects.filter(status=ApplicationStatus.COMPLETED)
        .filter(Exists(evaluated), Exists(attended), ~Exists(certified))
        .select_related(*APPLICATION_RELATED)
        .order_by("-session__end_date", "pk")
    )


# --- ERAS drafts ----------------------------------------------------------------------


def eras_draft_for_application(
    application: Application,
) -> tuple[ErasExperienceDraft | None, list[ErasExperienceDraftVersion]]:
    draft = ErasExperienceDraft.objects.filter(application=application).first()
    if draft is None:
        return None, []
    versions = list(draft.versions.select_related("created_by").order_by("-number"))
    return draft, versions
