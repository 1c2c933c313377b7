"""The applicant's "next step" guide: rotations picks the step from the bookings, guides
picks the articles (`guides.selectors.article_for_next_step`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from matchway.guides.models import Article, ArticleStatus
from matchway.guides.tests.conftest import ensure_bundled_guides
from matchway.rotations.dashboard import next_step_guide_panels
from matchway.rotations.models import ApplicationStatus
from matchway.rotations.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bundled_guides() -> Iterator[None]:
    cache.clear()
    ensure_bundled_guides()
    yield
    cache.clear()


def _slugs(request_user: Any, rf: Any) -> list[str]:
    request = rf.get("/dashboard/")
    request.user = request_user
    result = next_step_guide_panels(request.user)
    return [c["article"].slug for p in result for c in p.get("cards", [])]


def test_no_application_points_to_choosing_a_specialty(applicant: Any, rf: Any) -> None:
    assert _slugs(applicant, rf) == ["choosing-specialty-through-rotations"]


def test_only_closed_applications_count_as_none(applicant: Any, rf: Any) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.WITHDRAWN)
    assert _slugs(applicant, rf) == ["choosing-specialty-through-rotations"]


@pytest.mark.parametrize("status", [ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROGRESS])
def test_rotation_under_way_points_to_awareness_and_letters(
    applicant: Any, rf: Any, status: str
) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.WITHDRAWN)
    ApplicationFactory(applicant=applicant, status=status)
    assert _slugs(applicant, rf) == [
        "situational-awareness-usce",
        "asking-for-letters-of-recommendation",
    ]


def test_pending_application_gets_a_generic_pick(applicant: Any, rf: Any) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.SUBMITTED)
    Article.objects.filter(slug="soap-for-imgs").update(view_count=99)
    assert _slugs(applicant, rf) == ["soap-for-imgs"]


def test_missing_guide_falls_back_to_a_generic_pick(applicant: Any, rf: Any) -> None:
    Article.objects.filter(slug="choosing-specialty-through-rotations").update(
        status=ArticleStatus.DRAFT
    )
    slugs = _slugs(applicant, rf)
    assert len(slugs) == 1
    assert slugs != ["choosing-specialty-through-rotations"]


def test_dashboard_panel_query_count(
    applicant: Any, rf: Any, django_assert_num_queries: Any
) -> None:
    ApplicationFactory(applicant=applicant, status=ApplicationStatus.IN_PROGRESS)
    request = rf.get("/dashboard/")
    request.user = applicant
    with django_assert_num_queries(3):  # statuses, articles, their tags
        next_step_guide_panels(applicant)
