"""Issue #17: the review queue sorts by whitelisted columns, labels its filters and makes
the coordinator choose a decision (no default)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent
from matchway.rotations.models import Application, ApplicationStatus, BookingMode
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
)

pytestmark = pytest.mark.django_db
QUEUE = "/rotations/manage/applications/"


@pytest.fixture
def three(reference_data: None) -> list[Application]:
    session = RotationSessionFactory(
        rotation=RotationFactory(title="Cardiology"), booking_mode=BookingMode.REVIEW, capacity=5
    )
    names = ["Carla Zed", "Anna Brook", "Bruno Mars"]
    return [
        ApplicationFactory(session=session, applicant=UserFactory(full_name=name)) for name in names
    ]


def _names(response: Any) -> list[str]:
    return [a.applicant.full_name for a in response.context["page"].object_list]


def test_queue_sorts_by_whitelisted_columns(
    coordinator_client: Client, three: list[Application]
) -> None:
    default = _names(coordinator_client.get(QUEUE))
    assert default == ["Carla Zed", "Anna Brook", "Bruno Mars"]  # oldest submission first
    assert _names(coordinator_client.get(f"{QUEUE}?sort=applicant")) == [
        "Anna Brook",
        "Bruno Mars",
        "Carla Zed",
    ]
    assert _names(coordinator_client.get(f"{QUEUE}?sort=-applicant")) == [
        "Carla Zed",
        "Bruno Mars",
        "Anna Brook",
    ]
    assert _names(coordinator_client.get(f"{QUEUE}?sort=-submitted")) == default[::-1]


@pytest.mark.parametrize(
    "raw", ["password", "applicant__password", "--applicant", "-", "", "x" * 500, "pk;drop"]
)
def test_unknown_sort_falls_back_to_default(
    coordinator_client: Client, three: list[Application], raw: str
) -> None:
    response = coordinator_client.get(QUEUE, {"sort": raw})
    assert response.status_code == 200
    assert _names(response) == ["Carla Zed", "Anna Brook", "Bruno Mars"]
    assert response.context["sort"] == "submitted"


def test_sort_headers_link_and_announce_the_order(
    coordinator_client: Client, three: list[Application]
) -> None:
    html = coordinator_client.get(f"{QUEUE}?sort=applicant&status=all").content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'aria-sort="none"' in html
    assert "sort=-applicant" in html  # the sorted column's link reverses it
    assert "status=all" in html.split('aria-sort="ascending"')[1]  # filters are kept
    # The filter form keeps the sort (its phone control carries it on every width).
    assert '<option value="applicant" selected>Applicant, A to Z</option>' in html


def test_phones_get_a_sort_control_with_every_order(
    coordinator_client: Client, three: list[Application]
) -> None:
    """At phone width the table stacks and hides its sortable headers; a labelled select
    offers the same orders (the default one with an empty value, so the URL stays clean)."""
    html = coordinator_client.get(QUEUE).content.decode()
    control = html.split('<select name="sort" id="id_sort">')[1].split("</select>")[0]
    assert '<label for="id_sort">Sort by</label>' in html
    values = re.findall(r'<option value="([^"]*)"', control)
    assert values == [
        "",
        "-submitted",
        "applicant",
        "-applicant",
        "start",
        "-start",
        "status",
        "-status",
        "documents",
        "-documents",
    ]
    assert '<option value="" selected>Submitted, oldest first</option>' in control
    newest = coordinator_client.get(QUEUE, {"sort": "-submitted"})
    assert '<option value="-submitted" selected>' in newest.content.decode()
    assert _names(newest) == ["Bruno Mars", "Anna Brook", "Carla Zed"]


def test_filters_have_real_labels(coordinator_client: Client, three: list[Application]) -> None:
    html = coordinator_client.get(QUEUE).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>All specialties</option>' in html
    assert '<option value="" selected>Choose a decision…</option>' in html


def test_review_page_decision_starts_empty_and_is_required(
    coordinator_client: Client, three: list[Application]
) -> None:
    application = three[0]
    url = reverse("rotations:review", args=[application.pk])
    html = coordinator_client.get(url).content.decode()
    assert '<option value="" selected>Choose a decision…</option>' in html
    assert '<option value="accept" selected>' not in html
    before = AuditEvent.objects.count()
    response = coordinator_client.post(
        reverse("rotations:review-decide", args=[application.pk]), {"message": "Hi"}
    )
    assert response.status_code == 422
    assert "Choose accept, decline or waitlist." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert AuditEvent.objects.count() == before


def test_bulk_without_decision_keeps_selection_and_says_why(
    coordinator_client: Client, three: list[Application]
) -> None:
    ids = [a.pk for a in three[:2]]
    response = coordinator_client.post(
        reverse("rotations:review-bulk"), {"ids": ids, "message": "", "query": "sort=applicant"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose accept, decline or waitlist." in html
    assert response.context["selected"] == set(ids)
    assert response.context["sort"] == "applicant"
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}


def test_review_page_previews_documents_beside_verify_and_offers_bulk_verify(
    coordinator_client: Client, three: list[Application]
) -> None:
    from matchway.documents.tests.factories import upload_document

    application = three[0]
    docs = [upload_document(application.applicant, code) for code in ("cv", "usmle_step1")]
    html = coordinator_client.get(
        reverse("rotations:review", args=[application.pk])
    ).content.decode()
    for doc in docs:
        assert f'data-preview-src="/documents/{doc.pk}/download/?inline=1"' in html
        assert reverse("documents:verify", args=[doc.pk]) in html
        assert re.search(rf'value="{doc.pk}"\s+form="bulk-verify"', html)
    assert reverse("documents:verify-bulk") in html
    assert "Verify selected" in html
