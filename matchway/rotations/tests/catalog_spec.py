"""The catalog's specification in the ORM: what `catalog_sql.py` must list, and in which order.

Production reads the catalog through the plain SQL of catalog_sql.py (issue #18: building
this queryset cost most of an uncached request). This queryset says the same thing in the
ORM's words; test_catalog_sql.py holds the two equal on random catalogs, filters and
instants, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import DateField, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from matchway.accounts.models import User
from matchway.rotations.models import Rotation, RotationSession, SessionStatus
from matchway.rotations.selectors_catalog import (
    SESSIONS_PER_CARD,
    CatalogFilters,
    CatalogSort,
    _NoIndex,
    _starts_from,
    _upcoming_sessions,
    with_seats_left,
)


def _search(qs: QuerySet[Rotation], q: str) -> QuerySet[Rotation]:
    # Every word must match somewhere (title, subspecialty, specialty, site, city or a
    # preceptor's name): "cardiology chicago" narrows, it does not widen.
    through = Rotation.preceptors.through
    for term in q.split()[:6]:
        preceptor_match = through.objects.filter(
            rotation_id=OuterRef("pk"), user__full_name__icontains=term
        )
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(subspecialty__icontains=term)
            | Q(specialty__name__icontains=term)
            | Q(site__name__icontains=term)
            | Q(site__city__icontains=term)
            | Exists(preceptor_match)
        )
    return qs


def rotation_catalog_list(
    *, filters: CatalogFilters, today: date | None = None
) -> QuerySet[Rotation]:
    """Published rotations matching `filters`, each with `next_start` (None when no dates).

    Sessions and preceptors are prefetched: iterate `rotation.upcoming` (at most
    SESSIONS_PER_CARD sessions with `seats_used`) and `rotation.preceptors.all()`.
    """
    # A correlated subquery per rotation, not a join with GROUP BY (which SQLite groups over
    # every selected column). The status comparison goes through `_no_index` so SQLite reads
    # each rotation's few sessions by rotation_id instead of scanning every open session
    # from the (status, start_date) index for each rotation.
    next_session = Subquery(
        RotationSession.objects.filter(rotation_id=OuterRef("pk"))
        .alias(open_status=_NoIndex("status"))
        .filter(
            _starts_from(today, filters.starts_after, zone_field="rotation__site__timezone"),
            open_status=SessionStatus.OPEN,
        )
        .order_by()
        .values("rotation_id")
        .annotate(first=Min("start_date"))
        .values("first")[:1],
        output_field=DateField(),
    )
    # Any: the django-stubs plugin cannot follow the `next_start` annotation through filters.
    qs: QuerySet[Any] = (
        Rotation.objects.filter(published=True)
        .select_related("site", "site__state", "specialty")
        .only(
            "slug",
            "title",
            "kind",
            "hands_on",
            "weeks",
            "price_cents",
            "deposit_cents",
            "subspecialty",
            "letter_possible",
            "site__name",
            "site__kind",
            "site__city",
            "site__timezone",  # each card's sessions: accepts_applications uses the site's date
            "site__state__code",
            "site__state__name",
            "specialty__code",
            "specialty__name",
        )
        .annotate(next_start=next_session)
    )
    if filters.specialty:
        qs = qs.filter(specialty_id=filters.specialty)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(site__state_id=filters.state)
    if filters.max_price is not None:
        qs = qs.filter(price_cents__lte=filters.max_price * 100)
    if filters.starts_after:
        qs = qs.filter(next_start__isnull=False)
    if filters.q:
        qs = _search(qs, filters.q)
    if filters.sort == CatalogSort.PRICE:
        qs = qs.order_by("price_cents", F("next_start").asc(nulls_last=True), "title", "pk")
    elif filters.sort == CatalogSort.PRICE_DESC:
        qs = qs.order_by("-price_cents", F("next_start").asc(nulls_last=True), "title", "pk")
    else:
        qs = qs.order_by(F("next_start").asc(nulls_last=True), "title", "pk")
    sessions = with_seats_left(
        _upcoming_sessions(_starts_from(today, filters.starts_after))
        .only(
            "rotation_id",
            "start_date",
            "end_date",
            "capacity",
            "booking_mode",
            "status",
            "application_deadline",
        )
        .order_by("start_date", "pk")
    )[:SESSIONS_PER_CARD]
    return qs.prefetch_related(
        Prefetch(
            "preceptors",
            queryset=User.objects.only("pk", "full_name").order_by("full_name", "pk"),
        ),
        Prefetch("sessions", queryset=sessions, to_attr="upcoming"),
    )
