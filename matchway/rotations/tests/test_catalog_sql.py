"""The catalog's SQL read path (catalog_sql.py) lists what the ORM specification lists.

`catalog_spec.rotation_catalog_list` (the ORM) is the specification: which published rotations
match the filters, in which order, each with its next open start, its first sessions with
seats counted (selectors.seat_filter) and its preceptors. Hypothesis draws random catalogs
(sites in zones that are a day apart, sessions on the date boundaries, holds that lapse
this minute, search words with LIKE wildcards and accents) and random filters at random
instants; both paths must give the same rows, the same count and the same pages. The
whole non-browser suite also runs on PostgreSQL (make test-pg), so this holds there too.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.reference.models import Specialty, State
from matchway.rotations.catalog_sql import CatalogResults, CatalogRow, catalog_page
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    BookingMode,
    Rotation,
    RotationKind,
    RotationSession,
    SessionStatus,
    Site,
    SiteKind,
)
from matchway.rotations.selectors_catalog import (
    CatalogFilters,
    CatalogSort,
    catalog_facets,
)

from .catalog_spec import rotation_catalog_list

pytestmark = pytest.mark.django_db(transaction=False)

# Zones a day apart at most instants, an unknown name (the provider's date) and the
# provider's own.
ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Pago_Pago",  # UTC-11
    "Pacific/Kiritimati",  # UTC+14
    "Asia/Tokyo",
    "Mars/Olympus_Mons",
)
WORDS = ("Cardio", "cardiology", "Chicago", "chicago", "Lee", "100%", "a_b", "Ávila", "ávila")
SESSION_STATUSES = (  # open twice: most sessions are open
    SessionStatus.OPEN,
    SessionStatus.OPEN,
    SessionStatus.CLOSED,
    SessionStatus.CANCELLED,
)
SPECIALTIES = (("140", "Internal Medicine (Categorical)"), ("040", "Family Medicine"))
STATES = (("NY", "New York"), ("IL", "Illinois"))


def _build_catalog(rng: random.Random, today: dt.date, now: dt.datetime) -> None:
    specialties = [
        Specialty.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in SPECIALTIES
    ]
    states = [State.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in STATES]
    sites = []
    for i in range(5):
        virtual = rng.random() < 0.2
        sites.append(
            Site.objects.create(
                name=f"{rng.choice(WORDS)} Hospital {i}",
                kind=SiteKind.VIRTUAL if virtual else SiteKind.HOSPITAL,
                address="" if virtual else "1 Main Street",
                city="" if virtual else rng.choice(WORDS),
                state=None if virtual or rng.random() < 0.2 else rng.choice(states),
                timezone=rng.choice(ZONES),
            )
        )
    preceptors = [
        User.objects.create(
            email=f"p{i}@catalog.test", full_name=f"Dr. {rng.choice(WORDS)}", role=Role.PRECEPTOR
        )
        for i in range(4)
    ]
    applicants = [
        User.objects.create(email=f"a{i}@catalog.test", full_name=f"A {i}", role=Role.APPLICANT)
        for i in range(6)
    ]
    for i in range(rng.randrange(0, 14)):
        price = rng.choice([100_000, 150_000, 150_000, 200_000])
        rotation = Rotation.objects.create(
            slug=f"r-{i}",
            # Equal titles and prices, so the tie-breakers decide the order too.
            title=f"{rng.choice(WORDS)} rotation {rng.randrange(3)}",
            subspecialty=rng.choice(["", "", rng.choice(WORDS)]),
            specialty=rng.choice(specialties),
            kind=rng.choice([RotationKind.CLERKSHIP, RotationKind.RESEARCH]),
            hands_on=rng.random() < 0.5,
            letter_possible=rng.random() < 0.5,
            site=rng.choice(sites),
            weeks=4,
            price_cents=price,
            deposit_cents=50_000,
            published=rng.random() < 0.85,
        )
        rotation.preceptors.set(rng.sample(preceptors, rng.randrange(0, 3)))
        for _ in range(rng.randrange(0, 7)):
            start = today + dt.timedelta(days=rng.choice([-2, -1, 0, 1, 2, 9, 30]))
            session = RotationSession.objects.create(
                rotation=rotation,
                start_date=start,
                end_date=start + dt.timedelta(days=27),
                capacity=rng.randrange(0, 4),
                booking_mode=rng.choice([BookingMode.INSTANT, BookingMode.REVIEW]),
                status=rng.choice(SESSION_STATUSES),
                application_deadline=rng.choice(
                    [None, None, start - dt.timedelta(days=1), today - dt.timedelta(days=1)]
                ),
            )
            for applicant in rng.sample(applicants, rng.randrange(0, 4)):
                status = rng.choice(list(ApplicationStatus))
                hold = None
                if status == ApplicationStatus.ACCEPTED:
                    hold = now + dt.timedelta(minutes=rng.choice([-1, 0, 1, 600]))
                Application.objects.create(
                    applicant=applicant,
                    session=session,
                    status=status,
                    hold_expires_at=hold,
                    waitlisted_at=now if status == ApplicationStatus.WAITLISTED else None,
                    consent_share_documents=True,
                )


def _filters(rng: random.Random, today: dt.date) -> CatalogFilters:
    def maybe(values: list[Any]) -> Any:
        return rng.choice(values) if rng.random() < 0.35 else None

    q_words = rng.sample(WORDS, rng.choice([0, 0, 1, 2]))
    return CatalogFilters(
        specialty=maybe([c for c, _n in SPECIALTIES] + ["999"]) or "",
        kind=maybe([RotationKind.CLERKSHIP, RotationKind.RESEARCH]) or "",
        state=maybe([c for c, _n in STATES]) or "",
        starts_after=maybe([today, today + dt.timedelta(days=2), today - dt.timedelta(days=9)]),
        max_price=maybe([1000, 1500, 2000]),
        q=" ".join(q_words),
        sort=rng.choice([CatalogSort.START, CatalogSort.PRICE, CatalogSort.PRICE_DESC]),
    )


def _expected(filters: CatalogFilters) -> list[tuple[Any, ...]]:
    rotations: list[Any] = list(rotation_catalog_list(filters=filters))  # annotated rows
    return [
        (
            r.pk,
            r.next_start,
            [
                (s.pk, s.start_date, s.seats_used, s.waitlist_count, s.seats_left)
                for s in r.upcoming
            ],
            [p.full_name for p in r.preceptors.all()],
        )
        for r in rotations
    ]


def _got(rows: list[CatalogRow]) -> list[tuple[Any, ...]]:
    return [
        (
            r.id,
            r.next_start,
            [
                (s.id, s.start_date, s.seats_used, s.waitlist_count, s.seats_left)
                for s in r.upcoming
            ],
            r.preceptors,
        )
        for r in rows
    ]


# Naive bounds in UTC (what st.datetimes wants), drawn aware in UTC.
INSTANTS = st.datetimes(
    min_value=dt.datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2028, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32), instant=INSTANTS)
def test_sql_lists_what_the_orm_specification_lists(
    reference_data: None, seed: int, instant: dt.datetime
) -> None:
    rng = random.Random(seed)
    with time_machine.travel(instant, tick=False), transaction.atomic():
        now = clock.now()
        _build_catalog(rng, clock.provider_today(), now)
        zones = catalog_facets().site_zones
        for _ in range(4):
            filters = _filters(rng, clock.provider_today())
            expected = _expected(filters)
            results = CatalogResults(filters, zones=zones)
            assert results.count() == len(expected), filters
            assert _got(results[0 : len(expected) + 3]) == expected, filters
            cut = rng.randrange(0, len(expected) + 1)
            assert _got(results[cut : cut + 2]) == expected[cut : cut + 2], filters
        transaction.set_rollback(True)


def _plain_rotation(slug: str, title: str, specialty: Specialty, site: Site) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": title,
        "specialty": specialty,
        "site": site,
        "weeks": 4,
        "price_cents": 100_000,
        "deposit_cents": 10_000,
        "published": True,
        "kind": RotationKind.CLERKSHIP,
    }


@time_machine.travel(dt.datetime(2026, 12, 3, 10, 30, tzinfo=dt.UTC), tick=False)
def test_a_page_reads_dates_in_each_sites_zone(reference_data: None) -> None:
    """10:30 UTC on Dec 3 is already Dec 4 on Kiritimati (UTC+14) and still Dec 2 in Pago
    Pago (UTC-11): a session starting Dec 3 is upcoming in Pago Pago and New York, and has
    started on Kiritimati."""
    state = State.objects.get_or_create(code="NY", defaults={"name": "New York"})[0]
    specialty = Specialty.objects.get_or_create(code="140", defaults={"name": "IM"})[0]
    day = dt.date(2026, 12, 3)
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York"):
        site = Site.objects.create(
            name=zone,
            kind=SiteKind.HOSPITAL,
            address="1 Main",
            city="X",
            state=state,
            timezone=zone,
        )
        rotation = Rotation.objects.create(
            **_plain_rotation(zone.lower().replace("/", "-"), zone, specialty, site)
        )
        RotationSession.objects.create(
            rotation=rotation, start_date=day, end_date=day + dt.timedelta(days=27), capacity=2
        )
    page = catalog_page(filters=CatalogFilters(), page=1, zones=catalog_facets().site_zones)
    by_title = {row.title: row for row in page.object_list}
    assert by_title["Pacific/Kiritimati"].next_start is None
    assert by_title["Pacific/Kiritimati"].upcoming == []
    assert by_title["Pacific/Pago_Pago"].next_start == day
    assert by_title["Pacific/Pago_Pago"].upcoming[0].site_today == dt.date(2026, 12, 2)
    assert by_title["America/New_York"].next_start == day
    assert [row.title for row in page.object_list][-1] == "Pacific/Kiritimati"  # no date: last


def test_page_numbers_past_the_end_give_the_last_page(reference_data: None) -> None:
    specialty = Specialty.objects.get_or_create(code="140", defaults={"name": "IM"})[0]
    site = Site.objects.create(name="S", kind=SiteKind.VIRTUAL, timezone="America/New_York")
    Rotation.objects.bulk_create(
        Rotation(**_plain_rotation(f"r{i}", f"Rotation {i:02d}", specialty, site))
        for i in range(23)
    )
    zones = catalog_facets().site_zones
    last = catalog_page(filters=CatalogFilters(), page="99", zones=zones)
    assert last.number == 2
    assert [row.title for row in last.object_list] == ["Rotation 20", "Rotation 21", "Rotation 22"]
    assert catalog_page(filters=CatalogFilters(), page="x", zones=zones).number == 1
