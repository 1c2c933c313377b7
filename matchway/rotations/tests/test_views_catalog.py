"""Public catalog and rotation page: filters, htmx partials, query counts, 404s."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.reference.models import Specialty, State
from matchway.rotations.models import ApplicationStatus, RotationKind, SessionStatus, SiteKind
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    DocumentTypeFactory,
    RotationFactory,
    RotationSessionFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db
CATALOG = "/rotations/"


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    # Most tests look at the database work behind the page: no fragment cache by default.
    settings.ROTATIONS_CATALOG_CACHE_SECONDS = 0
    cache.clear()


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def catalog_rows(reference_data: None) -> dict[str, Any]:
    ny = SiteFactory(name="Brooklyn General", city="Brooklyn", state=State.objects.get(code="NY"))
    tx = SiteFactory(
        name="Houston Family Clinic", city="Houston", state=State.objects.get(code="TX")
    )
    online = SiteFactory(
        name="Telehealth Partners", kind=SiteKind.VIRTUAL, address="", city="", state=None
    )
    preceptor = UserFactory(role="preceptor", full_name="Dr. Nadia Kowalski")
    im = RotationFactory(
        title="Inpatient Internal Medicine",
        slug="inpatient-im",
        site=ny,
        price_cents=250_000,
        specialty=Specialty.objects.get(code="140"),
        preceptors=[preceptor],
    )
    fm = RotationFactory(
        title="Family Medicine Observership",
        slug="fm-obs",
        site=tx,
        kind=RotationKind.OBSERVERSHIP,
        hands_on=False,
        price_cents=90_000,
        deposit_cents=20_000,
        specialty=Specialty.objects.get(code="120"),
    )
    tele = RotationFactory(
        title="Telepsychiatry Elective",
        slug="telepsych",
        site=online,
        kind=RotationKind.TELEHEALTH,
        hands_on=False,
        price_cents=60_000,
        deposit_cents=0,
        specialty=Specialty.objects.get(code="400"),
    )
    hidden = RotationFactory(title="Secret Draft Rotation", slug="draft", published=False)
    im_session = RotationSessionFactory(
        rotation=im,
        start_date=_today() + dt.timedelta(days=60),
        end_date=_today() + dt.timedelta(days=87),
        capacity=2,
    )
    RotationSessionFactory(
        rotation=fm,
        start_date=_today() + dt.timedelta(days=20),
        end_date=_today() + dt.timedelta(days=47),
    )
    return {"im": im, "fm": fm, "tele": tele, "hidden": hidden, "im_session": im_session}


def _titles(response: Any) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


def test_catalog_lists_published_rotations_soonest_first(
    anonymous: Client, catalog_rows: dict[str, Any]
) -> None:
    response = anonymous.get(CATALOG)
    assert response.status_code == 200
    # FM starts first, IM next, telepsych has no dates and goes last; the draft is absent.
    assert _titles(response) == [
        "Family Medicine Observership",
        "Inpatient Internal Medicine",
        "Telepsychiatry Elective",
    ]
    html = response.content.decode()
    assert "Secret Draft Rotation" not in html
    assert "<title>" in html
    assert "US clinical rotations" in html
    assert 'name="description"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("specialty=140", ["Inpatient Internal Medicine"]),
        ("kind=observership", ["Family Medicine Observership"]),
        ("state=TX", ["Family Medicine Observership"]),
        ("max_price=1000", ["Family Medicine Observership", "Telepsychiatry Elective"]),
        ("q=houston", ["Family Medicine Observership"]),
        ("q=kowalski", ["Inpatient Internal Medicine"]),
        ("q=brooklyn+medicine", ["Inpatient Internal Medicine"]),
        ("q=telehealth+partners", ["Telepsychiatry Elective"]),
    ],
)
def test_catalog_filters(
    anonymous: Client, catalog_rows: dict[str, Any], query: str, expected: list[str]
) -> None:
    response = anonymous.get(f"{CATALOG}?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected


def test_starts_after_keeps_rotations_with_a_later_session(
    anonymous: Client, catalog_rows: dict[str, Any]
) -> None:
    after = (_today() + dt.timedelta(days=30)).isoformat()
    response = anonymous.get(f"{CATALOG}?starts_after={after}")
    assert _titles(response) == ["Inpatient Internal Medicine"]


def test_sort_by_price(anonymous: Client, catalog_rows: dict[str, Any]) -> None:
    assert _titles(anonymous.get(f"{CATALOG}?sort=price")) == [
        "Telepsychiatry Elective",
        "Family Medicine Observership",
        "Inpatient Internal Medicine",
    ]
    assert _titles(anonymous.get(f"{CATALOG}?sort=-price"))[0] == "Inpatient Internal Medicine"


@pytest.mark.parametrize(
    "query",
    [
        "max_price=abc",
        "max_price=-5",
        "starts_after=31-31-2027",
        "specialty=nope",
        "kind=surgery",
        "state=ZZ",
        "sort=random",
        "page=999",
        "page=abc",
        "q=" + "x" * 500,
        "max_price=99999999999999999999",
    ],
)
def test_bad_filters_get_a_friendly_message_never_a_500(
    anonymous: Client, catalog_rows: dict[str, Any], query: str
) -> None:
    response = anonymous.get(f"{CATALOG}?{query}")
    assert response.status_code == 200
    if not query.startswith("page="):
        assert "could not be used and were ignored" in response.content.decode()


def test_seats_left_shown_per_session(anonymous: Client, catalog_rows: dict[str, Any]) -> None:
    ApplicationFactory(session=catalog_rows["im_session"], status=ApplicationStatus.CONFIRMED)
    html = anonymous.get(CATALOG).content.decode()
    assert "1 of 2 seats open" in html


def test_empty_state_with_filters_offers_to_clear(
    anonymous: Client, catalog_rows: dict[str, Any]
) -> None:
    html = anonymous.get(f"{CATALOG}?q=zzzz-nothing").content.decode()
    assert "No rotations match these filters" in html
    assert "Clear all filters" in html


def test_empty_catalog(anonymous: Client, reference_data: None) -> None:
    html = anonymous.get(CATALOG).content.decode()
    assert "No rotations are published yet" in html


def test_htmx_request_gets_only_the_results_partial(
    anonymous: Client, catalog_rows: dict[str, Any]
) -> None:
    response = anonymous.get(f"{CATALOG}?kind=observership", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Family Medicine Observership" in html
    assert "<html" not in html
    assert "<form" not in html
    assert response["Vary"]
    assert "HX-Request" in response["Vary"]
    full = anonymous.get(f"{CATALOG}?kind=observership").content.decode()
    assert "<html" in full
    assert 'hx-push-url="true"' in full
    assert 'id="catalog-results"' in full


def test_history_restore_gets_the_full_page(
    anonymous: Client, catalog_rows: dict[str, Any]
) -> None:
    html = anonymous.get(
        f"{CATALOG}?kind=observership",
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    ).content.decode()
    assert "<html" in html


def test_filter_form_works_without_javascript(
    anonymous: Client, catalog_rows: dict[str, Any]
) -> None:
    html = anonymous.get(f"{CATALOG}?state=NY").content.decode()
    # A plain GET form with a submit button, and the chosen value kept selected.
    assert 'method="get"' in html
    assert 'type="submit"' in html
    assert '<option value="NY" selected>' in html


def _make_rotations(n: int) -> None:
    for i in range(n):
        rotation = RotationFactory(
            title=f"Rotation {i:03d}",
            preceptors=[UserFactory(role="preceptor")],
            required_document_types=[DocumentTypeFactory()],
        )
        for k in range(3):
            session = RotationSessionFactory(
                rotation=rotation,
                start_date=_today() + dt.timedelta(days=10 + 30 * k),
                end_date=_today() + dt.timedelta(days=37 + 30 * k),
            )
            ApplicationFactory(session=session, status=ApplicationStatus.CONFIRMED)


def _guide_link_queries() -> int:
    """Queries the guides app's `{% guide_link %}` costs (not ours to optimise)."""
    from django.db import connection
    from django.template import Context, Template
    from django.test.utils import CaptureQueriesContext

    template = Template('{% load guides %}{% guide_link "choosing-specialty-through-rotations" %}')
    with CaptureQueriesContext(connection) as ctx:
        template.render(Context({}))
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_catalog_query_count_does_not_grow(
    anonymous: Client, reference_data: None, django_assert_num_queries: Any, n: int
) -> None:
    _make_rotations(n)
    anonymous.get(CATALOG)  # facet lists are cached after the first request
    # count + one page of rotations + preceptors + sessions with seats (one query each).
    with django_assert_num_queries(4 + _guide_link_queries()):
        response = anonymous.get(CATALOG)
    assert len(response.context["page"].object_list) == min(n, 20)


def test_catalog_cold_cache_stays_within_budget(
    anonymous: Client, reference_data: None, django_assert_max_num_queries: Any
) -> None:
    _make_rotations(5)
    with django_assert_max_num_queries(8 + _guide_link_queries()):
        anonymous.get(f"{CATALOG}?specialty=140&state=NY&kind=clerkship")


def test_catalog_query_count_is_identical_for_3_and_30(
    anonymous: Client, reference_data: None
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (3, 27):
        _make_rotations(n)
        cache.clear()
        anonymous.get(CATALOG)  # warm the facet cache
        with CaptureQueriesContext(connection) as ctx:
            anonymous.get(f"{CATALOG}?sort=price")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 10


# --- rotation page -------------------------------------------------------------------


def test_rotation_page_shows_everything_an_applicant_needs(
    anonymous: Client, catalog_rows: dict[str, Any]
) -> None:
    rotation = catalog_rows["fm"]
    rotation.description = "# Daily routine\n\nMorning **huddle**. <script>alert(1)</script>"
    rotation.refund_policy = "Full refund up to 30 days before the start."
    rotation.eligibility_notes = "USMLE Step 1 passed."
    rotation.save()
    rotation.required_document_types.set([DocumentTypeFactory()])
    response = anonymous.get(reverse("rotations:detail", args=[rotation.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "you watch; you do not examine patients" in html
    assert "<h2>Daily routine</h2>" in html
    assert "<strong>huddle</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Full refund up to 30 days" in html
    assert "USMLE Step 1 passed." in html
    assert "$900" in html
    assert "$200" in html
    assert "Curriculum vitae" in html
    assert "Sign in to apply" in html
    assert f"<title>\n      {rotation.title}" in html or rotation.title in html.split("<title>")[1]


def test_hands_on_rotation_says_so(anonymous: Client, catalog_rows: dict[str, Any]) -> None:
    html = anonymous.get(reverse("rotations:detail", args=["inpatient-im"])).content.decode()
    assert "you examine patients and write notes under supervision" in html
    assert "Dr. Nadia Kowalski" in html


def test_unpublished_rotation_is_404_except_for_coordinators(
    catalog_rows: dict[str, Any], persona_clients: dict[str, Client]
) -> None:
    url = reverse("rotations:detail", args=["draft"])
    for name in ("anonymous", "applicant", "preceptor", "outsider"):
        assert persona_clients[name].get(url).status_code == 404, name
    response = persona_clients["coordinator"].get(url)
    assert response.status_code == 200
    assert "Not published" in response.content.decode()


def test_unknown_slug_is_404(anonymous: Client, reference_data: None) -> None:
    assert anonymous.get("/rotations/no-such-thing/").status_code == 404


def test_applicant_sees_book_button_and_own_vault_status(
    applicant_client: Client, catalog_rows: dict[str, Any]
) -> None:
    rotation = catalog_rows["im"]
    rotation.required_document_types.set([DocumentTypeFactory()])
    html = applicant_client.get(rotation.get_absolute_url()).content.decode()
    assert "Book a seat" in html
    assert "Missing" in html


def test_full_instant_session_offers_the_waitlist(
    applicant_client: Client, catalog_rows: dict[str, Any]
) -> None:
    session = catalog_rows["im_session"]
    ApplicationFactory.create_batch(2, session=session, status=ApplicationStatus.CONFIRMED)
    html = applicant_client.get(catalog_rows["im"].get_absolute_url()).content.decode()
    assert "Join waitlist" in html
    assert "Full" in html


def test_applicant_with_live_application_sees_a_link_to_it(
    applicant: Any, applicant_client: Client, catalog_rows: dict[str, Any]
) -> None:
    application = ApplicationFactory(applicant=applicant, session=catalog_rows["im_session"])
    html = applicant_client.get(catalog_rows["im"].get_absolute_url()).content.decode()
    assert reverse("rotations:application", args=[application.pk]) in html


def test_cancelled_sessions_are_not_listed(anonymous: Client, catalog_rows: dict[str, Any]) -> None:
    session = catalog_rows["im_session"]
    session.status = SessionStatus.CANCELLED
    session.save()
    html = anonymous.get(catalog_rows["im"].get_absolute_url()).content.decode()
    assert "No upcoming dates yet" in html


def test_sitemap_lists_published_rotations(anonymous: Client, catalog_rows: dict[str, Any]) -> None:
    xml = anonymous.get("/sitemap.xml").content.decode()
    assert "/rotations/inpatient-im/" in xml
    assert "/rotations/draft/" not in xml
    assert "/rotations/</loc>" in xml


def test_catalog_fragment_is_cached_and_a_booking_invalidates_it(
    anonymous: Client, catalog_rows: dict[str, Any], settings: Any, django_assert_num_queries: Any
) -> None:
    settings.ROTATIONS_CATALOG_CACHE_SECONDS = 60
    assert "2 of 2 seats open" in anonymous.get(CATALOG).content.decode()
    with django_assert_num_queries(0):
        cached = anonymous.get(CATALOG)
    assert "Inpatient Internal Medicine" in cached.content.decode()
    ApplicationFactory(session=catalog_rows["im_session"], status=ApplicationStatus.CONFIRMED)
    assert "1 of 2 seats open" in anonymous.get(CATALOG).content.decode()
    # htmx and full-page fragments are cached apart.
    partial = anonymous.get(CATALOG, HTTP_HX_REQUEST="true").content.decode()
    assert "<form" not in partial
    assert "<form" in anonymous.get(CATALOG).content.decode()


def _rotation_page_queries(client: Client, sessions: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rotation = RotationFactory()
    for week in range(sessions):
        RotationSessionFactory(
            rotation=rotation, start_date=_today() + dt.timedelta(weeks=2 + 5 * week)
        )
    url = reverse("rotations:detail", args=[rotation.slug])
    client.get(url)  # per-process caches (organization, guide titles)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["sessions"]) == sessions
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "applicant_client"])
def test_rotation_page_query_count_does_not_grow_with_sessions(
    who: str, request: pytest.FixtureRequest, reference_data: None
) -> None:
    """Each session's "accepts applications" reads its site's date: from the rotation the
    page already has, not one query for the rotation and one for the site per session
    (bench/pages.py found 14 queries for 5 sessions)."""
    client = request.getfixturevalue(who)
    assert _rotation_page_queries(client, 1) == _rotation_page_queries(client, 5)
