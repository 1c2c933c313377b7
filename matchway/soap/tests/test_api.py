"""`/api/v1/match/schedule` and `/api/v1/me/soap/...` (DESIGN.md "ERAS and Match")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from matchway.soap import samples

from .conftest import APPLICATIONS_OPEN, BEFORE_OPEN, ROUND_1

pytestmark = [pytest.mark.django_db]
API = "/api/v1"


def _import(client: Client, text: str, round_: int = 0) -> Any:
    upload = SimpleUploadedFile("lup.csv", text.encode(), content_type="text/csv")
    return client.post(f"{API}/me/soap/import", {"file": upload, "round": round_})


def test_schedule_is_public_and_says_when_unconfirmed(anonymous: Client) -> None:
    body = anonymous.get(f"{API}/match/schedule?season=2027").json()
    assert body["season"] == "2027" and body["confirmed"] is False and body["source"]
    keys = [e["key"] for e in body["events"]]
    for key in (
        "match_status_released",
        "applications_open",
        "offer_round_1",
        "offer_round_4",
        "soap_ends",
        "match_day",
    ):
        assert key in keys
    monday = next(e for e in body["events"] if e["key"] == "match_status_released")
    assert monday["starts_at"] == "2027-03-15T10:00:00-04:00"
    rounds = [e for e in body["events"] if e["key"] == "offer_round_1"]
    assert rounds[0]["ends_at"] == "2027-03-17T11:00:00-04:00"
    assert anonymous.get(f"{API}/match/schedule?season=1999").status_code == 404
    assert anonymous.get(f"{API}/match/schedule").json()["season"]


def test_import_with_bad_rows(monday: Any, applicant_client: Client) -> None:
    text = samples.sample_csv(3) + "oops,bad,,Z,NY,x,y\n"
    response = _import(applicant_client, text)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] == 3
    assert [e["row"] for e in body["errors"]] == [5]
    assert _import(applicant_client, "nothing,useful\n").status_code == 422
    listed = applicant_client.get(f"{API}/me/soap/programs?position_type=C").json()
    assert listed["count"] >= 1 and all(p["position_type"] == "C" for p in listed["items"])


@pytest.mark.parametrize("other", ["outsider_client", "coordinator_client", "preceptor_client"])
def test_the_list_is_private(
    monday: Any, request: pytest.FixtureRequest, applicant_client: Client, other: str
) -> None:
    assert _import(applicant_client, samples.sample_csv(5)).status_code == 201
    client: Client = request.getfixturevalue(other)
    response = client.get(f"{API}/me/soap/programs")
    if other == "outsider_client":  # another applicant sees only their own (empty) list
        assert response.status_code == 200 and response.json()["count"] == 0
    else:
        assert response.status_code == 404
    assert client.get(f"{API}/me/soap/applications").status_code in (200, 404)
    assert _import(client, samples.sample_csv(1)).status_code in (201, 404)


def test_applications_limit_and_offers(monday: Any, at: Any, applicant_client: Client) -> None:
    codes = [r["program_code"] for r in samples.sample_rows(46)]
    for code in codes[:45]:
        assert (
            applicant_client.post(
                f"{API}/me/soap/applications",
                {"program_code": code},
                content_type="application/json",
            ).status_code
            == 201
        )
    refused = applicant_client.post(
        f"{API}/me/soap/applications", {"program_code": codes[45]}, content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["code"] == "soap_limit"
    listed = applicant_client.get(f"{API}/me/soap/applications").json()
    assert listed["limit"] == 45 and listed["remaining"] == 0
    first_id = listed["items"][0]["id"]
    assert applicant_client.post(f"{API}/me/soap/applications/{first_id}/send").status_code == 200

    at(ROUND_1)
    blocked = applicant_client.post(f"{API}/me/soap/applications/{listed['items'][1]['id']}/send")
    assert blocked.status_code == 409 and blocked.json()["code"] == "invalid_transition"
    offers = [
        applicant_client.post(
            f"{API}/me/soap/offers",
            {"program_code": c, "round": 1},
            content_type="application/json",
        ).json()
        for c in codes[:2]
    ]
    expires = dt.datetime.fromisoformat(offers[0]["expires_at"])
    assert expires == dt.datetime(2027, 3, 17, 15, 0, tzinfo=dt.UTC)  # 11:00 EDT
    accepted = applicant_client.post(f"{API}/me/soap/offers/{offers[0]['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = applicant_client.post(f"{API}/me/soap/offers/{offers[1]['id']}/accept")
    assert again.status_code == 409 and again.json()["code"] == "offer_already_accepted"
    statuses = {o["id"]: o["status"] for o in applicant_client.get(f"{API}/me/soap/offers").json()}
    assert statuses[offers[1]["id"]] == "lost"
    assert applicant_client.delete(f"{API}/me/soap/programs").status_code == 204


def test_sending_before_eras_opens_is_409(
    at: Any, applicant: Any, applicant_client: Client
) -> None:
    at(BEFORE_OPEN)
    applicant_client.force_login(applicant)  # a session from before the jump has expired
    a, b = (r["program_code"] for r in samples.sample_rows(2))
    early = applicant_client.post(
        f"{API}/me/soap/applications",
        {"program_code": a, "sent": True},
        content_type="application/json",
    )
    assert early.status_code == 409, early.content
    body = early.json()
    assert body["code"] == "invalid_transition"
    assert "Mon 15 Mar, 11:00 EDT (US Eastern Time)" in body["message"]
    assert body["opens_at"] == "2027-03-15T11:00:00-04:00"
    picked = applicant_client.post(
        f"{API}/me/soap/applications", {"program_code": b}, content_type="application/json"
    )
    assert picked.status_code == 201 and picked.json()["sent_at"] is None
    send = f"{API}/me/soap/applications/{picked.json()['id']}/send"
    refused = applicant_client.post(send)
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"
    at(APPLICATIONS_OPEN)
    applicant_client.force_login(applicant)
    sent = applicant_client.post(send)
    assert sent.status_code == 200 and sent.json()["sent_at"] is not None


def test_odd_input_never_500s(monday: Any, applicant_client: Client) -> None:
    post = applicant_client.post
    assert (
        post(
            f"{API}/me/soap/offers",
            {"program_code": "x", "round": 1},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert (
        post(
            f"{API}/me/soap/offers",
            {"program_code": "9900140C0", "round": 9},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert post(f"{API}/me/soap/offers/1/accept").status_code == 404
    assert (
        post(
            f"{API}/me/soap/applications",
            {"program_code": "9900140C0", "letter_ids": [1]},
            content_type="application/json",
        ).status_code
        == 422
    )
    bad = SimpleUploadedFile("x.csv", b"\xff\xfe\x00", content_type="text/csv")
    assert post(f"{API}/me/soap/import", {"file": bad}).status_code == 422
    assert (
        post(
            f"{API}/me/soap/import", {"file": SimpleUploadedFile("a.csv", b"x"), "round": 99}
        ).status_code
        == 422
    )
