"""Reads behind the signed-in pages: applicant timelines, the review queue, rosters,
preceptor sessions, calendar entries. Permission filtering first, then batching: every
function here costs a constant number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.documents.models import Document, DocumentStatus
from matchway.documents.selectors import (
    DocumentStanding,
    document_check,
    document_current_for_owners,
)

from .ledger import ledger_sums, with_ledger
from .models import (
    LIVE_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Rotation,
    RotationSession,
    SessionStatus,
)
from .selectors import (
    CLASH_BLOCK_STATUSES,
    PRECEPTOR_VISIBLE_STATUSES,
    ConfirmationRequirements,
    DocumentRequirement,
    application_date_clashes,
    application_list_for_user,
    dates_overlap,
    session_list_with_seats,
)
from .selectors_catalog import with_seats_left

S = ApplicationStatus
# Before confirmation the applicant still has something to do (documents, deposit).
NEEDS_REQUIREMENTS = (S.SUBMITTED, S.WAITLISTED, S.ACCEPTED)
CALENDAR_STATUSES = (S.ACCEPTED, S.CONFIRMED, S.IN_PROGRESS)
# "Needs action" in the review queue: a decision (submitted) or a confirmation (accepted).
QUEUE_NEEDS_ACTION = (S.SUBMITTED, S.ACCEPTED)


def _events_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "events",
        queryset=ApplicationEvent.objects.select_related("actor").order_by("created_at", "pk"),
    )


def _requirements_batch(
    applications: list[Application], *, today: date | None = None
) -> dict[int, ConfirmationRequirements]:
    """`confirmation_requirements` for many applications in two queries (no N+1).

    Expects `session__rotation__required_document_types` prefetched and the money either
    annotated (`with_ledger`) or `payments` and `refunds` prefetched (`ledger_sums`).
    """
    today = today or clock.provider_today()
    owners = {a.applicant_id for a in applications}
    documents: dict[tuple[int, str], Document] = {
        (d.owner_id, d.type_id): d
        for d in Document.objects.filter(owner_id__in=owners, is_current=True).select_related(
            "type"
        )
    }
    result: dict[int, ConfirmationRequirements] = {}
    for application in applications:
        session = application.session
        items = []
        for doc_type in sorted(
            session.rotation.required_document_types.all(), key=lambda t: t.name
        ):
            check = document_check(
                documents.get((application.applicant_id, doc_type.pk)),
                doc_type.pk,
                on=session.end_date,
                today=today,
            )
            items.append(
                DocumentRequirement(
                    type_code=doc_type.pk,
                    type_name=doc_type.name,
                    status=check.status,
                    document_id=check.document.pk if check.document else None,
                    valid_until=check.valid_until,
                )
            )
        paid, refunded, waived = ledger_sums(application)
        result[application.pk] = ConfirmationRequirements(
            documents=items,
            deposit_due_cents=session.rotation.deposit_cents,
            deposit_paid_cents=paid - refunded,
            deposit_waived=waived,
        )
    return result


# --- applicant -------------------------------------------------------------------------


@dataclass
class ApplicationOverview:
    application: Application
    events: list[ApplicationEvent]
    requirements: ConfirmationRequirements | None
    waitlist_position: int | None

    @property
    def can_withdraw(self) -> bool:
        return self.application.status in LIVE_STATUSES

    @property
    def has_calendar(self) -> bool:
        return self.application.status in CALENDAR_STATUSES

    @property
    def hold_active(self) -> bool:
        expires = self.application.hold_expires_at
        return (
            self.application.status == S.ACCEPTED and expires is not None and expires > clock.now()
        )


def application_overviews(
    *, user: User, live_only: bool = False, pk: int | None = None, limit: int | None = None
) -> list[ApplicationOverview]:
    """The applicant's own applications with timeline, requirements and waitlist place.

    Only the applicant's own rows (whatever their role, this never widens). Six queries
    (payments and refunds feed the ledger).
    """
    qs = (
        application_list_for_user(user=user)
        .filter(applicant=user)
        .select_related(
            "session__rotation__site__state", "session__arrival", "session__rotation__arrival"
        )
        .prefetch_related(
            _events_prefetch(),
            "payments",
            "refunds",
            "session__rotation__required_document_types",
        )
        .order_by("-submitted_at", "-pk")
    )
    if live_only:
        qs = qs.filter(status__in=LIVE_STATUSES)
    if pk is not None:
        qs = qs.filter(pk=pk)
    if limit is not None:
        qs = qs[:limit]
    applications = list(qs)
    needing = [a for a in applications if a.status in NEEDS_REQUIREMENTS]
    requirements = _requirements_batch(needing) if needing else {}
    return [
        ApplicationOverview(
            application=a,
            events=list(a.events.all()),
            requirements=requirements.get(a.pk),
            waitlist_position=getattr(a, "waitlist_rank", None)
            if a.status == S.WAITLISTED
            else None,
        )
        for a in applications
    ]


def application_overview_get(*, user: User, pk: int) -> ApplicationOverview | None:
    found = application_overviews(user=user, pk=pk)
    return found[0] if found else None


def calendar_applications(*, user: User) -> list[Application]:
    """The applicant's booked rotations for calendars (held, confirmed, in progress)."""
    return list(
        Application.objects.filter(applicant=user, status__in=CALENDAR_STATUSES)
        .select_related(
            "session__rotation__site__state", "session__arrival", "session__rotation__arrival"
        )
        .order_by("session__start_date", "pk")
    )


# --- coordinator -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # "" = needs action, "all", or one status
    specialty: str = ""
    session: int | None = None
    missing_documents: bool = False
    q: str = ""


def _missing_documents_expression() -> Exists:
    """True when the applicant lacks a verified current document the rotation requires."""
    through = Rotation.required_document_types.through
    verified = Document.objects.filter(
        owner_id=OuterRef(OuterRef("applicant_id")),
        type_id=OuterRef("documenttype_id"),
        is_current=True,
        status=DocumentStatus.VERIFIED,
    )
    return Exists(
        through.objects.filter(rotation_id=OuterRef("session__rotation_id")).filter(
            ~Exists(verified)
        )
    )


# The queue's sortable columns: `?sort=<key>` or `?sort=-<key>`; anything else is the default
# (oldest submission first: first come, first served). Ties always break on the id.
QUEUE_SORTS: dict[str, tuple[str, ...]] = {
    "applicant": ("applicant__full_name",),
    "start": ("session__start_date", "session__rotation__title"),
    "status": ("status",),
    "documents": ("docs_missing",),
    "submitted": ("submitted_at",),
}
QUEUE_DEFAULT_SORT = "submitted"


def queue_sort_key(raw: str | None) -> str:
    """The whitelisted sort (`key` or `-key`) for a raw `?sort=` value; unknown → default."""
    value = (raw or "").strip()
    return (
        value if value.lstrip("-") in QUEUE_SORTS and value.count("-") <= 1 else QUEUE_DEFAULT_SORT
    )


def _queue_ordering(sort: str) -> list[str]:
    key = queue_sort_key(sort)
    prefix = "-" if key.startswith("-") else ""
    return [f"{prefix}{field}" for field in QUEUE_SORTS[key.lstrip("-")]] + [f"{prefix}pk"]


def review_queue(
    *, user: User, filters: QueueFilters, sort: str = QUEUE_DEFAULT_SORT
) -> QuerySet[Application]:
    """Applications for the coordinator's queue, oldest first (first come, first served)
    unless `sort` names one of QUEUE_SORTS."""
    qs = (
        application_list_for_user(user=user)
        .select_related("session__rotation__specialty")
        .annotate(docs_missing=_missing_documents_expression())
    )
    if filters.status == "all":
        pass
    elif filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=QUEUE_NEEDS_ACTION)
    if filters.specialty:
        qs = qs.filter(session__rotation__specialty_id=filters.specialty)
    if filters.session:
        qs = qs.filter(session_id=filters.session)
    if filters.missing_documents:
        qs = qs.filter(docs_missing=True)
    if filters.q:
        for term in filters.q.split()[:4]:
            qs = qs.filter(
                Q(applicant__full_name__icontains=term) | Q(applicant__email__icontains=term)
            )
    return qs.order_by(*_queue_ordering(sort))


def queue_counts() -> dict[str, int]:
    """Applications per status (one query), for the workspace and dashboard."""
    rows = Application.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = {str(s.value): 0 for s in ApplicationStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def sessions_upcoming(*, days: int = 60, today: date | None = None) -> list[RotationSession]:
    """Sessions starting in the next `days` days with seats, waitlist and applicant counts."""
    if today is not None:
        window = Q(start_date__gte=today, start_date__lte=today + timedelta(days=days))
    else:  # each session against its own site's date
        zone_field = "rotation__site__timezone"
        window = clock.local_today_q("start_date", "gte", zone_field=zone_field) & (
            clock.local_today_q("start_date", "lte", zone_field=zone_field, days=days)
        )
    qs = (
        RotationSession.objects.filter(window)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("rotation")
        .order_by("start_date", "pk")
    )
    return list(with_seats_left(qs)[:50])


@dataclass
class ReviewPage:
    application: Application
    events: list[ApplicationEvent]
    requirements: ConfirmationRequirements
    documents: list[Document]
    waitlist_position: int | None
    other_applications: list[Application] = field(default_factory=list)
    # Confirmed/in-progress applications of the same applicant sharing a day with this one:
    # confirming is refused over these (`DateConflict`) unless overridden with a reason.
    confirm_clashes: list[Application] = field(default_factory=list)

    @property
    def documents_to_verify(self) -> int:
        """Current documents waiting for review (the page offers "Verify selected" for 2+)."""
        return sum(1 for d in self.documents if d.status == DocumentStatus.UPLOADED)

    @property
    def overlapping_live(self) -> list[Application]:
        return [other for other in self.other_applications if getattr(other, "overlaps", False)]


def review_page(*, user: User, pk: int) -> ReviewPage | None:
    """Everything the coordinator's application page shows; None when hidden."""
    application = (
        with_ledger(application_list_for_user(user=user))  # the ledger and the deposit rule
        .filter(pk=pk)
        .select_related(
            "applicant__applicant_profile",
            "session__rotation__site__state",
            "session__rotation__specialty",
        )
        .prefetch_related(
            _events_prefetch(),
            Prefetch("payments", queryset=_payments()),
            "session__rotation__required_document_types",
            "applicant__applicant_profile__target_specialties",
        )
        .first()
    )
    if application is None:
        return None
    seats = with_seats_left(RotationSession.objects.filter(pk=application.session_id)).first()
    if seats is not None:
        application.session.seats_used = seats.seats_used  # type: ignore[attr-defined]
        application.session.seats_left = seats.seats_left  # type: ignore[attr-defined]
    documents = list(
        Document.objects.filter(owner_id=application.applicant_id, is_current=True)
        .select_related("type")
        .order_by("type__name")
    )
    others = list(
        Application.objects.filter(applicant_id=application.applicant_id)
        .exclude(pk=application.pk)
        .select_related("session__rotation")
        .order_by("-submitted_at")[:10]
    )
    session = application.session
    for other in others:
        # Highlighted on the page: a live application sharing a day (ends inclusive).
        other.overlaps = other.is_live and dates_overlap(  # type: ignore[attr-defined]
            session.start_date, session.end_date, other.session.start_date, other.session.end_date
        )
    confirm_clashes = (
        application_date_clashes(
            applicant_id=application.applicant_id,
            start_date=session.start_date,
            end_date=session.end_date,
            statuses=CLASH_BLOCK_STATUSES,
            exclude_pk=application.pk,
        )
        if application.status == S.ACCEPTED
        else []
    )
    return ReviewPage(
        application=application,
        events=list(application.events.all()),
        requirements=_requirements_batch([application])[application.pk],
        documents=documents,
        waitlist_position=getattr(application, "waitlist_rank", None)
        if application.status == S.WAITLISTED
        else None,
        other_applications=others,
        confirm_clashes=confirm_clashes,
    )


def _payments() -> QuerySet[Any]:
    from .models import Payment

    return Payment.objects.select_related("recorded_by").order_by("recorded_at", "pk")


@dataclass
class RosterRow:
    application: Application
    requirements: ConfirmationRequirements

    @property
    def verified_count(self) -> int:
        return sum(1 for d in self.requirements.documents if d.ok)

    @property
    def required_count(self) -> int:
        return len(self.requirements.documents)


def session_roster(
    *, session: RotationSession, statuses: Iterable[str] | None = None
) -> list[RosterRow]:
    """Applications of one session with requirement status, in waitlist/arrival order."""
    qs = (
        with_ledger(Application.objects.filter(session=session))  # deposit net of refunds
        .select_related("applicant", "session__rotation")
        .prefetch_related(
            Prefetch("payments", queryset=_payments()),
            "session__rotation__required_document_types",
        )
        .order_by("status", "waitlisted_at", "submitted_at", "pk")
    )
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    applications = list(qs)
    requirements = _requirements_batch(applications) if applications else {}
    return [RosterRow(application=a, requirements=requirements[a.pk]) for a in applications]


def session_get_for_manage(*, pk: int) -> RotationSession | None:
    # The arrival rows ride along so the page's first-day summary costs no query.
    qs = RotationSession.objects.select_related(
        "rotation__site", "rotation__specialty", "arrival", "rotation__arrival"
    ).filter(pk=pk)
    return with_seats_left(qs).first()


def rotation_list_for_manage(*, q: str = "") -> QuerySet[Rotation]:
    qs = Rotation.objects.select_related("site", "specialty").annotate(
        session_count=Count(
            "sessions",
            filter=clock.local_today_q("sessions__start_date", zone_field="site__timezone")
            & ~Q(sessions__status=SessionStatus.CANCELLED),
        )
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(site__name__icontains=q))
    return qs.order_by("-published", "title", "pk")


def rotation_sessions_for_manage(*, rotation: Rotation) -> list[RotationSession]:
    qs = RotationSession.objects.filter(rotation=rotation).order_by("start_date", "pk")
    return list(with_seats_left(qs))


# --- preceptor -------------------------------------------------------------------------


@dataclass
class ComingPerson:
    application: Application
    verified: int
    required: int
    missing: list[str]

    @property
    def all_verified(self) -> bool:
        return self.verified == self.required

    @property
    def needs_attention(self) -> bool:
        """On the rotation now without every required document verified: the preceptor
        should know before the next shift (and the coordinator should follow up)."""
        return self.application.status == ApplicationStatus.IN_PROGRESS and not self.all_verified


@dataclass
class PreceptorSession:
    session: RotationSession
    people: list[ComingPerson]


def preceptor_sessions(
    *, user: User, upcoming_only: bool = True, session_id: int | None = None
) -> list[PreceptorSession]:
    """Sessions of rotations `user` precepts, with who is coming (confirmed and later).

    Shows names, dates and verified-document status only: no documents themselves.
    Four queries whatever the number of sessions and people.
    """
    if user.role != Role.PRECEPTOR:
        return []
    qs = (
        RotationSession.objects.filter(rotation__preceptors=user)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("rotation__site")
        .prefetch_related(
            "rotation__required_document_types",
            Prefetch(
                "applications",
                queryset=Application.objects.filter(status__in=PRECEPTOR_VISIBLE_STATUSES)
                .select_related("applicant")
                .order_by("applicant__full_name"),
                to_attr="coming",
            ),
        )
        .order_by("start_date", "pk")
    )
    if upcoming_only:
        qs = qs.filter(clock.local_today_q("end_date", zone_field="rotation__site__timezone"))
    if session_id is not None:
        qs = qs.filter(pk=session_id)
    sessions = list(session_list_with_seats(qs))
    owners = {a.applicant_id for s in sessions for a in s.coming}  # type: ignore[attr-defined]
    codes = {t.pk for s in sessions for t in s.rotation.required_document_types.all()}
    # Standing through documents' own rule (expired or expiring before the session ends
    # is not "verified"), in one query for everyone.
    current = document_current_for_owners(owners, codes)
    today = clock.provider_today()
    result = []
    for session in sessions:
        required = list(session.rotation.required_document_types.all())
        people = []
        for application in session.coming:  # type: ignore[attr-defined]
            have = current.get(application.applicant_id, {})
            missing = [
                t.name
                for t in required
                if document_check(have.get(t.pk), t.pk, on=session.end_date, today=today).status
                != DocumentStanding.VERIFIED
            ]
            people.append(
                ComingPerson(
                    application=application,
                    verified=len(required) - len(missing),
                    required=len(required),
                    missing=missing,
                )
            )
        result.append(PreceptorSession(session=session, people=people))
    return result
