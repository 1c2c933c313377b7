"""Catalog reads: filters, facets and their cache, the rotation page, the document checklist.

The catalog list itself is read by the plain SQL of catalog_sql.py (a count, a page, its
sessions with seats, its preceptors: four queries whatever the catalog's size). Facet lists
are cached and invalidated through a generation number bumped by signals whenever catalog
data changes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    CharField,
    F,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.cache import read_ahead
from matchway.documents.models import Document, DocumentType
from matchway.documents.selectors import document_status_for
from matchway.reference.models import Specialty, State

from .models import (
    LIVE_STATUSES,
    Application,
    Rotation,
    RotationKind,
    RotationSession,
    SessionStatus,
    Site,
)
from .selectors import (
    RequirementStatus,
    session_list_with_seats,
)

PAGE_SIZE = 20
SESSIONS_PER_CARD = 4
FACETS_TTL = 10 * 60
GENERATION_KEY = "rotations:catalog:generation"


class CatalogSort:
    START = "start"
    PRICE = "price"
    PRICE_DESC = "-price"

    CHOICES = [
        (START, _("Soonest start")),
        (PRICE, _("Price: low to high")),
        (PRICE_DESC, _("Price: high to low")),
    ]


@dataclass(frozen=True)
class CatalogFilters:
    specialty: str = ""
    kind: str = ""
    state: str = ""
    starts_after: date | None = None
    max_price: int | None = None  # whole US dollars
    q: str = ""
    sort: str = CatalogSort.START

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.specialty
            or self.kind
            or self.state
            or self.starts_after
            or self.max_price is not None
            or self.q
        )


@dataclass(frozen=True)
class Facets:
    specialties: list[tuple[str, str]]  # (code, name) with published rotations
    states: list[tuple[str, str]]  # (code, name) with published rotations
    specialty_codes: frozenset[str]  # every known code (validation)
    state_codes: frozenset[str]
    kinds: list[tuple[str, str]] = field(default_factory=list)
    # The zones of the sites of published rotations: the catalog's SQL maps each to its date
    # (catalog_sql.py). A plain default, so facets cached before it existed still load.
    site_zones: frozenset[str] = frozenset()


# --- cache generation ------------------------------------------------------------------
# The catalog version lives in the cache itself: the shared cache (Redis) in production, so
# a write through one process is seen by every other at its next request; local memory in
# the one-process demo. Cached facets and fragments carry the version in their key, so a
# bump makes them unreachable at once (docs/dev/caching.md).


def catalog_generation() -> int:
    """The current catalog version (one cache round trip)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A random start, not 1: after a cache flush no process can mistake an old entry
        # (or a per-process memo) for the new version.
        cache.add(GENERATION_KEY, secrets.randbits(40) + 2, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # gone (evicted or flushed): any new value differs from the old keys
        cache.set(GENERATION_KEY, secrets.randbits(40) + 2, timeout=None)


def catalog_invalidate(**_kwargs: Any) -> None:
    """Bump the catalog version now and again when the surrounding transaction commits.

    Now: this process's next read (inside the transaction) renders afresh. On commit:
    another process may have rendered the old rows under the new version while the write
    was uncommitted; the second bump makes that fragment unreachable too. Outside a
    transaction on_commit runs at once (two bumps; harmless).
    """
    _bump_generation()
    transaction.on_commit(_bump_generation)


def connect_cache_invalidation() -> None:
    """Called once from RotationsConfig.ready(): cache invalidation is what signals are for."""
    for model in (Site, Rotation, RotationSession, Application):
        post_save.connect(catalog_invalidate, sender=model, dispatch_uid=f"catalog-save-{model}")
        post_delete.connect(
            catalog_invalidate, sender=model, dispatch_uid=f"catalog-delete-{model}"
        )
    m2m_changed.connect(
        catalog_invalidate, sender=Rotation.preceptors.through, dispatch_uid="catalog-preceptors"
    )


FACETS_KEY = "rotations:catalog:facets"


def catalog_cached(keys: list[str], *, also: tuple[str, ...] = ()) -> tuple[int, dict[str, Any]]:
    """The catalog version and the entries of `keys` that belong to it, in one round trip.

    Catalog entries are stored as `(version, value)` (`catalog_cache_set`): an entry of an
    older version is treated as absent, so a bump makes every older entry unreadable at
    once, in every process sharing the cache, without a second round trip to read the
    version first.
    """
    # `also`: other keys this request will read (their owners' `cache.get` then costs no
    # round trip with the shared cache, core/cache.py `read_ahead`).
    found = read_ahead([GENERATION_KEY, *keys, *also])
    for key in also:
        found.pop(key, None)
    version = found.pop(GENERATION_KEY, None)
    if version is None:
        version = catalog_generation()
    current = {
        key: entry[1]
        for key, entry in found.items()
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version
    }
    return int(version), current


def catalog_cache_set(key: str, value: Any, version: int, timeout: int) -> None:
    cache.set(key, (version, value), timeout)


def catalog_facets(*, version: int | None = None, cached: Facets | None = None) -> Facets:
    """Filter choices (only specialties and states with published rotations) and the full
    code sets for validation. Three queries on a miss, cached per version. A caller that
    already read the version and the facets (`catalog_cached`) passes them."""
    if cached is not None:
        return cached
    if version is None:
        version, found = catalog_cached([FACETS_KEY])
        if FACETS_KEY in found:
            return found[FACETS_KEY]  # type: ignore[no-any-return]
    all_specialties = dict(Specialty.objects.values_list("code", "name"))
    all_states = dict(State.objects.values_list("code", "name"))
    used = set(
        Rotation.objects.filter(published=True)
        .values_list("specialty_id", "site__state_id", "site__timezone")
        .distinct()
        .order_by()
    )
    used_specialties = {code for code, _state, _zone in used}
    used_states = {state for _code, state, _zone in used if state}
    facets = Facets(
        specialties=sorted(
            ((c, n) for c, n in all_specialties.items() if c in used_specialties),
            key=lambda item: item[1],
        ),
        states=sorted(
            ((c, n) for c, n in all_states.items() if c in used_states), key=lambda item: item[1]
        ),
        specialty_codes=frozenset(all_specialties),
        state_codes=frozenset(all_states),
        kinds=[(str(value), str(label)) for value, label in RotationKind.choices],
        site_zones=frozenset(zone for _code, _state, zone in used),
    )
    catalog_cache_set(FACETS_KEY, facets, version, FACETS_TTL)
    return facets


def catalog_fragment_key(query: Any, partial: str) -> str:
    """Cache key of a rendered catalog fragment: the normalised query string, the partial
    and the language. The entry carries the catalog version (`catalog_cached`)."""
    items = sorted((k, tuple(v)) for k, v in query.lists())
    digest = hashlib.sha256(repr(items).encode()).hexdigest()[:32]
    return f"rotations:catalog:html:{get_language()}:{partial}:{digest}"


# --- catalog list ----------------------------------------------------------------------


class _NoIndex(Func):
    """The column as is; on SQLite written `+column`, which keeps the planner off its index
    (SQLite has no statistics unless ANALYZE ran, and guesses the worse index here)."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


def _starts_from(
    today: date | None,
    starts_after: date | None = None,
    *,
    prefix: str = "",
    zone_field: str = "rotation__site__timezone",
) -> Q:
    """Starts today or later where the session happens (its site's date), and on or after
    `starts_after`. A given `today` pins one date for every site (tests, previews)."""
    field = f"{prefix}start_date"
    if today is not None:
        condition = Q(**{f"{field}__gte": today})
    else:
        condition = clock.local_today_q(field, "gte", zone_field=zone_field)
    if starts_after is not None:
        condition &= Q(**{f"{field}__gte": starts_after})
    return condition


def _upcoming_sessions(starts: Q) -> QuerySet[RotationSession]:
    # Callers narrow by rotation: read those rows by rotation_id, not every open session.
    return RotationSession.objects.alias(listed_status=_NoIndex("status")).filter(
        starts, listed_status__in=[SessionStatus.OPEN, SessionStatus.CLOSED]
    )


# --- rotation detail -------------------------------------------------------------------


def rotation_get_for_page(*, slug: str, user: Any) -> Rotation | None:
    """A rotation for its public page; unpublished ones only for coordinators (else None)."""
    qs = Rotation.objects.select_related("site", "site__state", "specialty").prefetch_related(
        Prefetch(
            "preceptors",
            queryset=User.objects.select_related(
                "preceptor_profile", "preceptor_profile__specialty"
            ).order_by("full_name"),
        ),
        Prefetch("required_document_types", queryset=DocumentType.objects.order_by("name")),
    )
    if getattr(user, "role", None) != Role.COORDINATOR:
        qs = qs.filter(published=True)
    return qs.filter(slug=slug).first()


def rotation_upcoming_sessions(
    *, rotation: Rotation, today: date | None = None
) -> list[RotationSession]:
    """The rotation's open and closed sessions from its site's today, seats annotated. Each
    session carries `rotation` (with its site), so `accepts_applications` costs no query."""
    sessions = list(
        with_seats_left(
            _upcoming_sessions(_starts_from(today))
            .filter(rotation=rotation)
            .order_by("start_date", "pk")
        )
    )
    for session in sessions:
        session.rotation = rotation
    return sessions


def live_applications_by_session(
    *, user: Any, sessions: list[RotationSession]
) -> dict[int, Application]:
    """The signed-in applicant's live applications for these sessions, keyed by session id."""
    if not getattr(user, "is_authenticated", False) or not sessions:
        return {}
    apps = Application.objects.filter(
        applicant=user, session__in=[s.pk for s in sessions], status__in=LIVE_STATUSES
    ).only("pk", "session_id", "status", "hold_expires_at")
    return {a.session_id: a for a in apps}


def session_get_for_apply(*, session_id: int) -> RotationSession | None:
    """A session of a published rotation, with its rotation and `seats_used`/`seats_left`.

    None when the session is absent or its rotation is unpublished (hidden means 404).
    """
    qs = RotationSession.objects.select_related(
        "rotation", "rotation__site", "rotation__site__state", "rotation__specialty"
    ).filter(pk=session_id, rotation__published=True)
    return with_seats_left(qs).first()


def with_seats_left(qs: QuerySet[RotationSession]) -> QuerySet[RotationSession]:
    """`seats_used` (R1's arithmetic) plus `seats_left`, never below zero."""
    return session_list_with_seats(qs).annotate(
        seats_left=Greatest(F("capacity") - F("seats_used"), Value(0))
    )


# --- document checklist ----------------------------------------------------------------


STATE_LABELS: dict[str, Any] = {
    RequirementStatus.VERIFIED: _("Verified"),
    RequirementStatus.UPLOADED: _("Uploaded — waiting for review"),
    RequirementStatus.MISSING: _("Missing"),
    RequirementStatus.REJECTED: _("Rejected — upload a new one"),
    RequirementStatus.EXPIRED: _("Expired — upload a new one"),
    RequirementStatus.EXPIRING: _("Expires before the rotation ends"),
    RequirementStatus.ERASED: _("Erased after your last rotation — upload it again"),
}


@dataclass(frozen=True)
class ChecklistRow:
    type: DocumentType
    state: str
    document: Document | None
    valid_until: date | None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def ok(self) -> bool:
        return self.state == RequirementStatus.VERIFIED


def document_checklist(
    user: Any, rotation: Rotation, session: RotationSession | None
) -> list[ChecklistRow]:
    """Required documents of `rotation` with `user`'s vault status for `session`.

    "Expiring" means the document stops being valid before the session's last day. For an
    anonymous visitor every row is "missing" (nothing is read).
    """
    types = list(rotation.required_document_types.all())
    if not types:
        return []
    needed_until = session.end_date if session is not None else None
    checks = document_status_for(user, types, on=needed_until, today=clock.provider_today())
    return [
        ChecklistRow(
            type=doc_type,
            state=checks[doc_type.pk].status,
            document=checks[doc_type.pk].document,
            valid_until=checks[doc_type.pk].valid_until,
        )
        for doc_type in types
    ]
