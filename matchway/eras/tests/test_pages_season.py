"""Fee, signal and rank list pages and the season API operations."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from matchway.eras.models import ProgramTarget
from matchway.eras.services.ranklist import rank_list_add, rank_list_for_user

from .factories_season import ProgramFactory, ProgramTargetFactory, specialty

pytestmark = pytest.mark.usefixtures("reference_data")


def _targets(user: Any, code: str, n: int, **kw: Any) -> list[ProgramTarget]:
    return [
        ProgramTargetFactory(
            applicant=user, program=ProgramFactory(owner=user, specialty=specialty(code)), **kw
        )
        for _ in range(n)
    ]


def test_fee_page_for_anyone_shows_each_line_and_its_source(anonymous: Any) -> None:
    url = reverse("eras:fees")
    page = anonymous.get(
        url, {"season": "2026", "specialty": ["140", "420"], "programs": ["43", "7"]}
    ).content.decode()
    assert "$797" in page
    assert "programs 31–43: 13 × $30 = $390" in page
    assert "fees-2025-eras-season" in page  # the source link
    assert "UNCONFIRMED" not in page
    unconfirmed = anonymous.get(url, {"season": "2027", "specialty": "140", "programs": "5"})
    assert "UNCONFIRMED" in unconfirmed.content.decode()
    odd = anonymous.get(url, {"season": "1900", "specialty": "140", "programs": "x"})
    assert odd.status_code == 200 and "whole number" in odd.content.decode()
    assert anonymous.get(url).status_code == 200


def test_fee_page_prefills_from_the_applicants_targets(
    applicant_client: Any, applicant: Any
) -> None:
    _targets(applicant, "140", 2)
    _targets(applicant, "110", 1)
    page = applicant_client.get(reverse("eras:fees")).content.decode()
    assert "Filled in from the programs in your list" in page
    assert "ResidencyCAS" in page and "$22" in page


def test_fee_estimate_api(anonymous: Any) -> None:
    body = anonymous.get(
        "/api/v1/eras/fee-estimate", {"season": "2026", "counts": "140:43,420:7"}
    ).json()
    assert body["total_cents"] == 79700 and body["season"] == "2026" and body["confirmed"]
    assert [line["service"] for line in body["lines"]] == ["eras", "eras"]
    assert body["lines"][0]["explanation"].startswith("programs 1–30")
    bad = anonymous.get("/api/v1/eras/fee-estimate", {"counts": "140:many"})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    unknown = anonymous.get("/api/v1/eras/fee-estimate", {"counts": "140:1", "season": "1990"})
    assert unknown.status_code == 422
    fap = anonymous.get(
        "/api/v1/eras/fee-estimate",
        {"season": "2026", "counts": "140:10", "fee_assistance": "true"},
    ).json()
    assert fap["total_cents"] == 11000 - 6600


def test_signals_page_and_limit_message(applicant_client: Any, applicant: Any) -> None:
    targets = _targets(applicant, "120", 6)
    for t in targets[:5]:
        applicant_client.post(reverse("eras:signal_set", args=[t.pk]), {"signal": "signal"})
    response = applicant_client.post(
        reverse("eras:signal_set", args=[targets[5].pk]), {"signal": "signal"}, follow=True
    )
    page = response.content.decode()
    assert "You have used all 5 signals" in page
    assert targets[0].program.name in page
    assert "5 of 5 used" in page
    assert "UNCONFIRMED" in page  # the 2025 table stands in for 2027


def test_signal_api_409_names_the_holders(applicant_client: Any, applicant: Any) -> None:
    targets = _targets(applicant, "140", 4)
    for t in targets[:3]:
        ok = applicant_client.put(
            f"/api/v1/me/eras/signals/{t.pk}", {"signal": "gold"}, content_type="application/json"
        )
        assert ok.status_code == 200
    refused = applicant_client.put(
        f"/api/v1/me/eras/signals/{targets[3].pk}",
        {"signal": "gold"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "signal_limit"
    assert targets[0].program.name in refused.json()["message"]
    listing = applicant_client.get("/api/v1/me/eras/signals").json()
    assert listing[0]["signals"][0] == {
        "kind": "gold",
        "limit": 3,
        "held_by": sorted(
            [t.pk for t in targets[:3]],
            key=lambda pk: ProgramTarget.objects.get(pk=pk).program.name,
        ),
    }


def test_someone_elses_target_signal_is_404(applicant_client: Any, outsider: Any) -> None:
    (theirs,) = _targets(outsider, "120", 1)
    assert (
        applicant_client.post(
            reverse("eras:signal_set", args=[theirs.pk]), {"signal": "signal"}
        ).status_code
        == 404
    )
    api = applicant_client.put(
        f"/api/v1/me/eras/signals/{theirs.pk}",
        {"signal": "signal"},
        content_type="application/json",
    )
    assert api.status_code == 404


def test_rank_list_keyboard_buttons_and_drag_order(applicant_client: Any, applicant: Any) -> None:
    a, b, c = _targets(applicant, "140", 3, status="interviewed")
    change = "eras:rank_list_change"
    for t in (a, b, c):
        applicant_client.post(reverse(change, args=[t.pk]), {"action": "add"})
    assert [t.pk for t in rank_list_for_user(user=applicant, season="2027")] == [a.pk, b.pk, c.pk]
    applicant_client.post(reverse(change, args=[c.pk]), {"action": "up"})
    applicant_client.post(reverse(change, args=[a.pk]), {"action": "up"})  # already first
    assert [t.rank for t in rank_list_for_user(user=applicant, season="2027")] == [1, 2, 3]
    assert [t.pk for t in rank_list_for_user(user=applicant, season="2027")] == [a.pk, c.pk, b.pk]
    response = applicant_client.post(
        reverse("eras:rank_list_order"),
        {"order": f"{b.pk},{a.pk},{c.pk}"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert [t.pk for t in rank_list_for_user(user=applicant, season="2027")] == [b.pk, a.pk, c.pk]
    stale = applicant_client.post(
        reverse("eras:rank_list_order"), {"order": f"{b.pk},{a.pk}"}, HTTP_ACCEPT="application/json"
    )
    assert stale.status_code == 422
    applicant_client.post(reverse(change, args=[a.pk]), {"action": "remove"})
    ranked = rank_list_for_user(user=applicant, season="2027")
    assert [(t.pk, t.rank) for t in ranked] == [(b.pk, 1), (c.pk, 2)]
    page = applicant_client.get(reverse("eras:rank_list")).content.decode()
    assert "Wednesday 3 March 2027, 9:00 PM Eastern Time" in page  # Alice is in New York
    assert "deferred acceptance" in page
    assert 'value="up"' in page and "eras-rank.js" in page


def test_rank_list_page_query_count(
    applicant_client: Any, applicant: Any, django_assert_num_queries: Any
) -> None:
    for t in _targets(applicant, "140", 3, status="interviewed"):
        rank_list_add(actor=applicant, target=t)
    _targets(applicant, "120", 2)
    applicant_client.get(reverse("eras:rank_list"))  # warm the per-session nav counts
    with django_assert_num_queries(4):
        applicant_client.get(reverse("eras:rank_list"))
    for t in _targets(applicant, "140", 10, status="interviewed"):
        rank_list_add(actor=applicant, target=t)
    _targets(applicant, "120", 10)
    with django_assert_num_queries(4):
        applicant_client.get(reverse("eras:rank_list"))


def test_signals_page_query_count(
    applicant_client: Any, applicant: Any, django_assert_num_queries: Any
) -> None:
    _targets(applicant, "140", 2)
    applicant_client.get(reverse("eras:signals"))  # warm the per-session nav counts
    with django_assert_num_queries(3):
        applicant_client.get(reverse("eras:signals"))
    _targets(applicant, "120", 10)
    _targets(applicant, "420", 5)
    with django_assert_num_queries(3):
        applicant_client.get(reverse("eras:signals"))


def test_simulation_page(applicant_client: Any, applicant: Any) -> None:
    url = reverse("eras:rank_simulation")
    assert "Your draft list is empty" in applicant_client.get(url).content.decode()
    targets = _targets(applicant, "140", 3, status="interviewed")
    for t in targets:
        rank_list_add(actor=applicant, target=t)
    params = {f"standing_{t.pk}": "low" for t in targets}
    params.update({f"standing_{targets[0].pk}": "none", "competitors": "3", "seed": "4"})
    page = applicant_client.get(url, params).content.decode()
    assert "none got you a program you prefer" in page
    bad = applicant_client.get(url, {"competitors": "99", "seed": "x"})
    assert bad.status_code == 200
