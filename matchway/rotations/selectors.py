"""Reads for catalog and booking, filtered by who is asking (services write; these read).

Seat arithmetic (DESIGN.md): seats in use = `accepted` with `hold_expires_at > now` +
`confirmed` + `in_progress` + `completed`. It is always counted from the rows, never kept in
a counter, so a lapsed hold stops counting the moment it lapses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.documents.models import Document, DocumentStatus, DocumentType
from matchway.documents.selectors import DocumentCheck, DocumentStanding, document_status_for

from .ledger import ledger_sums
from .models import (
    LIVE_STATUSES,
    SEAT_STATUSES,
    Application,
    ApplicationStatus,
    Rotation,
    RotationSession,
    SessionStatus,
)

# Applications a preceptor may see: the applicant is coming, is there, or has been.
PRECEPTOR_VISIBLE_STATUSES = (
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.COMPLETED,
)


def seat_filter(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """The Q that selects seat-holding applications (optionally through a relation prefix)."""
    current = now or clock.now()
    return Q(**{f"{prefix}status__in": [s.value for s in SEAT_STATUSES]}) | Q(
        **{
            f"{prefix}status": ApplicationStatus.ACCEPTED,
            f"{prefix}hold_expires_at__gt": current,
        }
    )


# --- Date clashes (issue #19) ---------------------------------------------------------------

# Applying warns about these: every live application (submitted, waitlisted, held,
# confirmed, in progress).
CLASH_WARN_STATUSES = LIVE_STATUSES
# Confirming is refused (DateConflict) over these, unless a coordinator overrides.
CLASH_BLOCK_STATUSES = (ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROGRESS)


def dates_overlap(start_a: dt.date, end_a: dt.date, start_b: dt.date, end_b: dt.date) -> bool:
    """Whether two session date ranges share a day. Both ends are inclusive: `end_date` is
    the rotation's last day (site-local dates, so no time-zone arithmetic), hence a session
    ending on day D clashes with one starting on D, not with one starting on D+1."""
    return start_a <= end_b and start_b <= end_a


def application_date_clashes(
    *,
    applicant_id: int,
    start_date: dt.date,
    end_date: dt.date,
    statuses: Collection[str] = CLASH_WARN_STATUSES,
    exclude_pk: int | None = None,
) -> list[Application]:
    """The applicant's applications in `statuses` whose session shares a day with
    `start_date`..`end_date` (inclusive, see `dates_overlap`), soonest first, with
    `session__rotation` loaded. One query. Inside `application_confirm` it runs under the
    applicant's row lock, which makes the answer stable until commit."""
    qs = Application.objects.filter(
        applicant_id=applicant_id,
        status__in=[str(s) for s in statuses],
        session__start_date__lte=end_date,
        session__end_date__gte=start_date,
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.select_related("session__rotation").order_by("session__start_date", "pk"))


def date_clash_summary(clashes: Collection[Application]) -> str:
    """ "Rotation (Mar 2 – Mar 29, 2027, confirmed); …" for messages and errors."""
    from django.utils.formats import date_format

    return "; ".join(
        f"{a.session.rotation.title} ({date_format(a.session.start_date, 'M j')} – "
        f"{date_format(a.session.end_date, 'M j, Y')}, {a.get_status_display()})"
        for a in clashes
    )


def seats_in_use(session: RotationSession, now: dt.datetime | None = None) -> int:
    """Seats taken in `session` right now, counted from the rows (one query).

    Inside a booking transaction call it AFTER `lock_for_update` on the session: the count
    is only authoritative while the lock is held.
    """
    return Application.objects.filter(seat_filter(now), session_id=session.pk).count()


def seats_available(session: RotationSession) -> int:
    """Free seats (never negative). Uses the `seats_used` annotation when present."""
    used = getattr(session, "seats_used", None)
    if used is None:
        used = seats_in_use(session)
    return max(0, session.capacity - int(used))


def session_list_with_seats(
    qs: QuerySet[RotationSession] | None = None, now: dt.datetime | None = None
) -> QuerySet[RotationSession]:
    """Annotate `seats_used` and `waitlist_count` in the same query (no N+1 on lists)."""
    base = qs if qs is not None else RotationSession.objects.all()
    waitlisted = Q(applications__status=ApplicationStatus.WAITLISTED)
    return base.annotate(
        # distinct: the caller's queryset may already join other multi-valued relations.
        seats_used=Count("applications", filter=seat_filter(now, "applications__"), distinct=True),
        waitlist_count=Count("applications", filter=waitlisted, distinct=True),
    )


def session_get(*, pk: int, with_seats: bool = True) -> RotationSession | None:
    """A session of a published rotation (None when absent or hidden).

    `with_seats` annotates `seats_used`/`waitlist_count`; booking skips it, because the
    only count that matters there is the one taken under the lock.
    """
    qs = RotationSession.objects.select_related("rotation__site", "rotation__specialty").filter(
        pk=pk, rotation__published=True
    )
    return (session_list_with_seats(qs) if with_seats else qs).first()


def rotation_list_public(
    *,
    specialty: str | None = None,
    kind: str | None = None,
    state: str | None = None,
    starts_after: dt.date | None = None,
    max_price: int | None = None,
    q: str | None = None,
) -> QuerySet[Rotation]:
    """Published rotations matching the catalog filters (DESIGN.md "Public interfaces").

    `starts_after` is inclusive and keeps rotations with an open session starting that day
    or later; `max_price` is in whole US dollars. Annotates `next_start` (the earliest open,
    not-yet-started session) so a list costs a constant number of queries.
    """
    qs = Rotation.objects.filter(published=True).select_related("site", "specialty")
    if specialty:
        qs = qs.filter(specialty_id=specialty)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(site__state_id=state.upper())
    if max_price is not None:
        qs = qs.filter(price_cents__lte=max_price * 100)
    if q:
        terms = q.strip()[:100]
        qs = qs.filter(
            Q(title__icontains=terms)
            | Q(subspecialty__icontains=terms)
            | Q(description__icontains=terms)
            | Q(specialty__name__icontains=terms)
            | Q(site__name__icontains=terms)
            | Q(site__city__icontains=terms)
        )
    if starts_after is not None:
        # Exists, not a join: a join would repeat rotations with several matching sessions.
        qs = qs.filter(
            Exists(
                RotationSession.objects.filter(
                    rotation=OuterRef("pk"),
                    status=SessionStatus.OPEN,
                    start_date__gte=starts_after,
                )
            )
        )
    upcoming_open = Q(sessions__status=SessionStatus.OPEN) & clock.local_today_q(
        "sessions__start_date", zone_field="site__timezone"
    )
    return qs.annotate(next_start=Min("sessions__start_date", filter=upcoming_open)).order_by(
        "title", "pk"
    )


def rotation_get_public(*, slug: str) -> Rotation | None:
    """A published rotation with its upcoming sessions (seats annotated) prefetched."""
    sessions = session_list_with_seats(
        RotationSession.objects.filter(
            clock.local_today_q("end_date", zone_field="rotation__site__timezone")
        ).exclude(status=SessionStatus.CANCELLED)
    ).order_by("start_date", "pk")
    return (
        Rotation.objects.filter(published=True, slug=slug)
        .select_related("site", "specialty")
        .prefetch_related(
            Prefetch("sessions", queryset=sessions, to_attr="upcoming_sessions"),
            "required_document_types",
            "preceptors",
        )
        .first()
    )


def _waitlist_position_expression() -> Any:
    ahead = (
        Application.objects.filter(session=OuterRef("session"), status=ApplicationStatus.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(
            status=ApplicationStatus.WAITLISTED,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def waitlist_position(application: Application) -> int | None:
    """1-based place on the session's waitlist (by `waitlisted_at`, then pk); None if not on it.

    Derived, never stored. Uses the `waitlist_rank` annotation when the selector set it.
    """
    if application.status != ApplicationStatus.WAITLISTED:
        return None
    rank = getattr(application, "waitlist_rank", None)
    if rank is not None:
        return int(rank)
    ahead = Application.objects.filter(
        session_id=application.session_id, status=ApplicationStatus.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=application.waitlisted_at)
        | Q(waitlisted_at=application.waitlisted_at, pk__lt=application.pk)
    )
    return ahead.count() + 1


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    """Applications `user` may see, newest first, ready for lists (no N+1).

    Applicant: their own. Coordinator: all. Preceptor: confirmed, in-progress and completed
    applications to sessions of rotations they precept. Anyone else: none. Each row carries
    a `waitlist_rank` annotation (see `waitlist_position`).
    """
    base = Application.objects.select_related(
        "applicant", "session__rotation__site", "session__rotation__specialty"
    ).annotate(waitlist_rank=_waitlist_position_expression())
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.role == Role.COORDINATOR:
        return base
    if user.role == Role.APPLICANT:
        return base.filter(applicant=user)
    if user.role == Role.PRECEPTOR:
        return base.filter(
            status__in=PRECEPTOR_VISIBLE_STATUSES, session__rotation__preceptors=user
        ).distinct()
    return base.none()


def application_get_for_user(*, user: User, pk: int) -> Application | None:
    """One application `user` may see, or None (the caller answers 404)."""
    return application_list_for_user(user=user).filter(pk=pk).first()


# --- Confirmation requirements --------------------------------------------------------


# The document vocabulary is the documents app's (one rule: `document_standing`).
RequirementStatus = DocumentStanding


@dataclass(frozen=True)
class DocumentRequirement:
    type_code: str
    type_name: str
    status: str
    document_id: int | None = None
    valid_until: dt.date | None = None

    @property
    def ok(self) -> bool:
        return self.status == RequirementStatus.VERIFIED


@dataclass(frozen=True)
class ConfirmationRequirements:
    """What stands between an accepted application and `confirmed`."""

    documents: list[DocumentRequirement] = field(default_factory=list)
    deposit_due_cents: int = 0
    deposit_paid_cents: int = 0
    deposit_waived: bool = False

    @property
    def deposit_ok(self) -> bool:
        return self.deposit_waived or self.deposit_paid_cents >= self.deposit_due_cents

    @property
    def ready(self) -> bool:
        return self.deposit_ok and all(item.ok for item in self.documents)

    @property
    def missing(self) -> list[str]:
        """Human-readable list of what is not yet in order (empty when ready)."""
        lines = [f"{item.type_name}: {item.status}" for item in self.documents if not item.ok]
        if not self.deposit_ok:
            lines.append(
                f"deposit: {self.deposit_paid_cents / 100:,.2f} of "
                f"{self.deposit_due_cents / 100:,.2f} USD recorded"
            )
        return lines


def _requirement(doc_type: DocumentType, check: DocumentCheck) -> DocumentRequirement:
    return DocumentRequirement(
        type_code=doc_type.code,
        type_name=doc_type.name,
        status=check.status,
        document_id=check.document.pk if check.document else None,
        valid_until=check.valid_until,
    )


def confirmation_requirements(
    application: Application, today: dt.date | None = None
) -> ConfirmationRequirements:
    """Per required document type its status, plus the deposit, for one application.

    A type is `verified` only when the applicant's current document of that type is verified
    and stays valid through the session's last day. The deposit counts what was paid minus
    what was refunded (`ledger_sums`, the ledger's own sums); a `waiver` payment waives it.
    Four queries (two when the application carries `with_ledger` annotations or prefetched
    payments and refunds).
    """

    session = application.session
    rotation = session.rotation
    current_day = today or clock.provider_today()
    types: list[DocumentType] = list(rotation.required_document_types.order_by("name"))
    checks = document_status_for(
        application.applicant_id, types, on=session.end_date, today=current_day
    )
    items = [_requirement(doc_type, checks[doc_type.code]) for doc_type in types]
    paid, refunded, waived = ledger_sums(application)
    return ConfirmationRequirements(
        documents=items,
        deposit_due_cents=rotation.deposit_cents,
        deposit_paid_cents=paid - refunded,
        deposit_waived=waived,
    )


def document_list_for_preceptor(*, user: User) -> QuerySet[Document]:
    """Current documents a preceptor may open (served by `views.preceptor.document_download`
    through `documents.downloads`; the decision lives here, documents knows no bookings).

    A document is visible when its type is required by a rotation the preceptor precepts and
    its owner has a confirmed, in-progress or completed application in a session of THAT
    rotation. One query.
    """
    if not getattr(user, "is_authenticated", False) or user.role != Role.PRECEPTOR:
        return Document.objects.none()
    qualifying = Application.objects.filter(
        applicant=OuterRef("owner"),
        status__in=PRECEPTOR_VISIBLE_STATUSES,
        session__rotation__preceptors=user,
        session__rotation__required_document_types=OuterRef("type"),
    )
    return (
        Document.objects.filter(is_current=True)
        .exclude(status=DocumentStatus.ERASED)  # the file is gone (retention)
        .filter(Exists(qualifying))
        .select_related("type", "owner")
        .order_by("pk")
    )


def document_ids_visible_to_preceptor(*, user: User) -> list[int]:
    """The ids of `document_list_for_preceptor`."""
    return list(document_list_for_preceptor(user=user).values_list("pk", flat=True))


# --- Document retention ----------------------------------------------------------------

# Owners per query: keeps the IN list well under SQLite's bound-parameter limit.
RETENTION_CHUNK = 500


def applicant_documents_needed(owner_ids: Collection[int]) -> dict[int, dt.date | None]:
    """For each applicant in `owner_ids` with any application: None when something is active
    or coming up (an application submitted, waitlisted, held, confirmed or in progress, or a
    rotation whose last day has not passed at its site), else the end date of their last
    rotation (the latest session end of a confirmed/in-progress/completed application), or
    no entry at all if they never had one. One query per 500 owners.

    This is rotations' answer to the documents app's retention rule (`retention.py`).
    """
    result: dict[int, dt.date | None] = {}
    ids = sorted(set(owner_ids))
    seat_statuses = [s.value for s in SEAT_STATUSES]
    live = Q(status__in=[s.value for s in LIVE_STATUSES])
    # The rotation is not over while its last day has not passed where it happens.
    not_over = Q(status__in=seat_statuses) & clock.local_today_q(
        "session__end_date", "gte", zone_field="session__rotation__site__timezone"
    )
    for start in range(0, len(ids), RETENTION_CHUNK):
        rows = (
            Application.objects.filter(applicant_id__in=ids[start : start + RETENTION_CHUNK])
            .values("applicant_id")
            .annotate(
                active=Count("pk", filter=live | not_over),
                last_end=Max("session__end_date", filter=Q(status__in=seat_statuses)),
            )
            .order_by()
        )
        for row in rows:
            if row["active"]:
                result[row["applicant_id"]] = None
            elif row["last_end"] is not None:
                result[row["applicant_id"]] = row["last_end"]
    return result
