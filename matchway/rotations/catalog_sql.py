"""The public catalog's read path in plain SQL: the hot page without the ORM's cost.

Building and compiling the catalog as an ORM queryset (a correlated subquery, per-zone
dates, a windowed prefetch with seat counts) cost about three quarters of an uncached
catalog request (issue #18; docs/dev/caching.md has the profile). This module asks the same
four questions in four short parameterised statements that work unchanged on SQLite and
PostgreSQL:

1. how many rotations match (the paginator's count);
2. one page of them, each with its next open start date in its site's zone;
3. up to SESSIONS_PER_CARD upcoming sessions per rotation on the page, seats counted;
4. the preceptors' names of the rotations on the page.

The specification stays in the ORM's words (rotations/tests/catalog_spec.py), and
test_catalog_sql.py holds the two equal on random catalogs, filters and instants, on both
databases. Rows come back as small records (`CatalogRow`, `CatalogSession`) that the card
builder (`catalog_cards.py`) reads; no model instances.

"Today" is the site's date, as everywhere in bookings (core/clock.py): the page query maps
each site's zone to its date with a CASE over the zones the catalog uses (a few, read with
the facets), so the statement stays short at any hour; the session query, knowing the
page's sites, groups their rotations by date instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db import connection

from matchway.core import clock

from .models import SEAT_STATUSES, ApplicationStatus, SessionStatus
from .models.booking import accepts_applications_on, specialty_label
from .selectors_catalog import PAGE_SIZE, SESSIONS_PER_CARD, CatalogFilters, CatalogSort


@dataclass(slots=True)
class CatalogSession:
    """An upcoming session as a catalog card shows it (what `seats_badge` reads)."""

    id: int
    rotation_id: int
    start_date: dt.date
    end_date: dt.date
    capacity: int
    booking_mode: str
    status: str
    application_deadline: dt.date | None
    seats_used: int
    waitlist_count: int
    site_today: dt.date  # the date at the rotation's site when the page was read

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_used)

    @property
    def accepts_applications(self) -> bool:
        """`RotationSession.accepts_applications`, on the date read with the page."""
        return accepts_applications_on(
            self.site_today,
            status=self.status,
            start_date=self.start_date,
            application_deadline=self.application_deadline,
        )


@dataclass(slots=True)
class CatalogRow:
    """A published rotation as its catalog card shows it."""

    id: int
    slug: str
    title: str
    kind: str
    hands_on: bool
    weeks: int
    price_cents: int
    deposit_cents: int
    letter_possible: bool
    subspecialty: str
    specialty_code: str
    specialty_name: str
    site_name: str
    site_kind: str
    site_city: str
    site_timezone: str
    state_code: str  # "" when the site has no state
    next_start: dt.date | None
    preceptors: list[str] = field(default_factory=list)
    upcoming: list[CatalogSession] = field(default_factory=list)

    @property
    def specialty_label(self) -> str:
        """`Rotation.specialty_label`: "Cardiology · Internal Medicine"."""
        return specialty_label(self.subspecialty, self.specialty_name)


# --- SQL building blocks -------------------------------------------------------------------
# Identifiers are written as Django names them (test_catalog_sql.py runs every statement
# against the models' tables); every value is a %s parameter. Aliases: r rotation,
# sp specialty, si site, st state, s session, a application, rp rotation-preceptor link,
# u user.

FROM_ROTATIONS = """
    FROM rotations_rotation r
    INNER JOIN reference_specialty sp ON sp.code = r.specialty_id
    INNER JOIN rotations_site si ON si.id = r.site_id
    LEFT OUTER JOIN reference_state st ON st.code = si.state_id
"""

ROTATION_COLUMNS = """
    r.id, r.slug, r.title, r.kind, r.hands_on, r.weeks, r.price_cents, r.deposit_cents,
    r.letter_possible, r.subspecialty, sp.code, sp.name, si.name, si.kind, si.city,
    si.timezone, st.code
"""

# A rotation's open sessions from its site's today (and from `starts_after`): the body of
# the next-start subquery and of the starts-after filter. {today} and {after} are SQL.
OPEN_SESSIONS = """
    FROM rotations_rotationsession s
    WHERE s.rotation_id = r.id AND s.status = %s AND s.start_date >= {today}{after}
"""

PRECEPTOR_MATCH = """EXISTS (
    SELECT 1 FROM rotations_rotation_preceptors rp
    INNER JOIN accounts_user u ON u.id = rp.user_id
    WHERE rp.rotation_id = r.id AND {name_matches}
)"""

ORDER_BY = {
    CatalogSort.START: "next_start ASC NULLS LAST, r.title ASC, r.id ASC",
    CatalogSort.PRICE: "r.price_cents ASC, next_start ASC NULLS LAST, r.title ASC, r.id ASC",
    CatalogSort.PRICE_DESC: (
        "r.price_cents DESC, next_start ASC NULLS LAST, r.title ASC, r.id ASC"
    ),
}

# Up to SESSIONS_PER_CARD open or closed sessions per rotation, seats counted as
# selectors.seat_filter counts them: confirmed, in progress or completed, or accepted with a
# hold that has not lapsed. {seat_statuses}: placeholders; {days}: per-date conditions.
SESSIONS = """
    SELECT w.id, w.rotation_id, w.start_date, w.end_date, w.capacity, w.booking_mode,
        w.status, w.application_deadline,
        (SELECT COUNT(*) FROM rotations_application a
            WHERE a.session_id = w.id AND (a.status IN ({seat_statuses})
                OR (a.status = %s AND a.hold_expires_at > %s))),
        (SELECT COUNT(*) FROM rotations_application a
            WHERE a.session_id = w.id AND a.status = %s)
    FROM (
        SELECT s.id, s.rotation_id, s.start_date, s.end_date, s.capacity, s.booking_mode,
            s.status, s.application_deadline,
            ROW_NUMBER() OVER (
                PARTITION BY s.rotation_id ORDER BY s.start_date ASC, s.id ASC
            ) AS rn
        FROM rotations_rotationsession s
        WHERE s.status IN (%s, %s) AND ({days}){after}
    ) w
    WHERE w.rn <= %s
    ORDER BY w.start_date ASC, w.id ASC
"""

PRECEPTORS = """
    SELECT rp.rotation_id, u.full_name
    FROM rotations_rotation_preceptors rp
    INNER JOIN accounts_user u ON u.id = rp.user_id
    WHERE rp.rotation_id IN ({ids})
    ORDER BY u.full_name ASC, u.id ASC
"""


def _date_param(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _as_date(value: Any) -> dt.date:
    # SQLite returns dates as ISO text through a raw cursor; PostgreSQL as dates.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _icontains(column: str, term: str) -> tuple[str, str]:
    """`column__icontains=term` exactly as this database's ORM backend writes it."""
    lhs = connection.ops.lookup_cast("icontains", "CharField") % column
    rhs = connection.operators["icontains"] % "%s"
    return f"{lhs} {rhs}", f"%{connection.ops.prep_for_like_query(term)}%"


def _site_today(zones: Collection[str], now: dt.datetime) -> tuple[str, list[Any]]:
    """SQL for "today at the row's site": the provider's date unless the site's zone (one
    of `zones`) is on another date right now. Unknown zones get the provider's date, as
    `clock.zone` does."""
    provider_day = clock.local_date(now, None)
    groups: dict[dt.date, list[str]] = defaultdict(list)
    for name in sorted(zones):
        day = clock.local_date(now, name)
        if day != provider_day:
            groups[day].append(name)
    if not groups:
        return "%s", [_date_param(provider_day)]
    sql, params = "CASE", []
    for day, names in sorted(groups.items()):
        sql += f" WHEN si.timezone IN ({_placeholders(len(names))}) THEN %s"
        params.extend([*names, _date_param(day)])
    return f"{sql} ELSE %s END", [*params, _date_param(provider_day)]


class _Query:
    """The filters as SQL: the WHERE clause and the next-start subquery, with parameters."""

    def __init__(
        self,
        filters: CatalogFilters,
        zones: Collection[str],
        now: dt.datetime,
        today: dt.date | None,
    ) -> None:
        if today is not None:  # one date for every site (tests, previews)
            today_sql, today_params = "%s", [_date_param(today)]
        else:
            today_sql, today_params = _site_today(zones, now)
        after_sql, after_params = "", []
        if filters.starts_after is not None:
            after_sql, after_params = " AND s.start_date >= %s", [_date_param(filters.starts_after)]
        self.open_sessions = OPEN_SESSIONS.format(today=today_sql, after=after_sql)
        self.open_params = [SessionStatus.OPEN.value, *today_params, *after_params]

        where: list[str] = ["r.published = %s"]
        params: list[Any] = [True]
        for sql, value in (
            ("r.specialty_id = %s", filters.specialty),
            ("r.kind = %s", filters.kind),
            ("si.state_id = %s", filters.state),
        ):
            if value:
                where.append(sql)
                params.append(value)
        if filters.max_price is not None:
            where.append("r.price_cents <= %s")
            params.append(filters.max_price * 100)
        if filters.starts_after:
            where.append(f"EXISTS (SELECT 1 {self.open_sessions})")
            params.extend(self.open_params)
        for term in filters.q.split()[:6]:
            # Every word must match somewhere (selectors_catalog._search).
            alternatives = []
            for column in ("r.title", "r.subspecialty", "sp.name", "si.name", "si.city"):
                clause, pattern = _icontains(column, term)
                alternatives.append(clause)
                params.append(pattern)
            clause, pattern = _icontains("u.full_name", term)
            alternatives.append(PRECEPTOR_MATCH.format(name_matches=clause))
            params.append(pattern)
            where.append("(" + " OR ".join(alternatives) + ")")
        self.where = " AND ".join(where)
        self.where_params = params


# --- the four statements -----------------------------------------------------------------


def catalog_count(
    filters: CatalogFilters,
    *,
    zones: Collection[str],
    now: dt.datetime,
    today: dt.date | None = None,
) -> int:
    query = _Query(filters, zones, now, today)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {FROM_ROTATIONS} WHERE {query.where}", query.where_params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def catalog_rows(
    filters: CatalogFilters,
    *,
    offset: int,
    limit: int,
    zones: Collection[str],
    now: dt.datetime,
    today: dt.date | None = None,
) -> list[CatalogRow]:
    """One page of matching rotations in catalog order, sessions and preceptors attached."""
    if limit <= 0:
        return []
    query = _Query(filters, zones, now, today)
    sql = (
        f"SELECT {ROTATION_COLUMNS}, (SELECT MIN(s.start_date) {query.open_sessions})"
        f" AS next_start {FROM_ROTATIONS} WHERE {query.where}"
        f" ORDER BY {ORDER_BY.get(filters.sort, ORDER_BY[CatalogSort.START])}"
        " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query.open_params, *query.where_params, limit, offset])
        fetched = cursor.fetchall()
    rows = [
        CatalogRow(
            id=r[0],
            slug=r[1],
            title=r[2],
            kind=r[3],
            hands_on=bool(r[4]),
            weeks=r[5],
            price_cents=r[6],
            deposit_cents=r[7],
            letter_possible=bool(r[8]),
            subspecialty=r[9],
            specialty_code=r[10],
            specialty_name=r[11],
            site_name=r[12],
            site_kind=r[13],
            site_city=r[14],
            site_timezone=r[15],
            state_code=r[16] or "",
            next_start=_as_date(r[17]) if r[17] is not None else None,
        )
        for r in fetched
    ]
    if rows:
        _attach_sessions(rows, filters.starts_after, now, today)
        _attach_preceptors(rows)
    return rows


def _attach_sessions(
    rows: list[CatalogRow], starts_after: dt.date | None, now: dt.datetime, today: dt.date | None
) -> None:
    """Up to SESSIONS_PER_CARD open or closed sessions per row, from its site's today: the
    rows are grouped by that date, so no zone names reach the statement."""
    site_today = {
        row.id: today if today is not None else clock.local_date(now, row.site_timezone)
        for row in rows
    }
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for rotation_id, day in site_today.items():
        by_day[day].append(rotation_id)
    days, day_params = [], []
    for day, ids in sorted(by_day.items()):
        days.append(f"(s.rotation_id IN ({_placeholders(len(ids))}) AND s.start_date >= %s)")
        day_params.extend([*ids, _date_param(day)])
    after_sql, after_params = "", []
    if starts_after is not None:
        after_sql, after_params = " AND s.start_date >= %s", [_date_param(starts_after)]
    seat_statuses = [status.value for status in SEAT_STATUSES]
    sql = SESSIONS.format(
        seat_statuses=_placeholders(len(seat_statuses)), days=" OR ".join(days), after=after_sql
    )
    params = [
        *seat_statuses,
        ApplicationStatus.ACCEPTED.value,
        connection.ops.adapt_datetimefield_value(now),
        ApplicationStatus.WAITLISTED.value,
        SessionStatus.OPEN.value,
        SessionStatus.CLOSED.value,
        *day_params,
        *after_params,
        SESSIONS_PER_CARD,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    by_rotation = {row.id: row for row in rows}
    for s in fetched:
        by_rotation[s[1]].upcoming.append(
            CatalogSession(
                id=s[0],
                rotation_id=s[1],
                start_date=_as_date(s[2]),
                end_date=_as_date(s[3]),
                capacity=s[4],
                booking_mode=s[5],
                status=s[6],
                application_deadline=_as_date(s[7]) if s[7] is not None else None,
                seats_used=int(s[8]),
                waitlist_count=int(s[9]),
                site_today=site_today[s[1]],
            )
        )


def _attach_preceptors(rows: list[CatalogRow]) -> None:
    ids = [row.id for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(PRECEPTORS.format(ids=_placeholders(len(ids))), ids)
        fetched = cursor.fetchall()
    by_rotation = {row.id: row for row in rows}
    for rotation_id, name in fetched:
        by_rotation[rotation_id].preceptors.append(name)


# --- the paginator's list ------------------------------------------------------------------


class CatalogResults(Sequence[CatalogRow]):
    """The matching rotations as Django's Paginator wants them: `count()` and slices, each
    one statement (the count is read once). Dates are read at one instant (`now`)."""

    ordered = True  # the Paginator warns about unordered lists

    def __init__(
        self,
        filters: CatalogFilters,
        *,
        zones: Collection[str],
        now: dt.datetime | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.filters = filters
        self.zones = zones
        self.now = now if now is not None else clock.now()
        self.today = today
        self._count: int | None = None

    def count(self) -> int:  # type: ignore[override]  # the Paginator's count(), no argument
        if self._count is None:
            self._count = catalog_count(
                self.filters, zones=self.zones, now=self.now, today=self.today
            )
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> CatalogRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[CatalogRow]: ...

    def __getitem__(self, index: int | slice) -> CatalogRow | list[CatalogRow]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.start or 0, index.stop, index.step
        if step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            raise ValueError("catalog results take plain forward slices")
        if stop is None:
            stop = self.count()
        return catalog_rows(
            self.filters,
            offset=start,
            limit=stop - start,
            zones=self.zones,
            now=self.now,
            today=self.today,
        )

    def __iter__(self) -> Iterator[CatalogRow]:
        return iter(self[0 : self.count()])


def catalog_page(
    *, filters: CatalogFilters, page: str | int | None, zones: Collection[str]
) -> Page[CatalogRow]:
    """One page of the catalog (Django's Paginator: a bad or too-high page number gives the
    first or the last page). `zones`: `Facets.site_zones`."""
    paginator = Paginator(CatalogResults(filters, zones=zones), PAGE_SIZE)
    return paginator.get_page(page)
