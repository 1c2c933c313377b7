from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from matchway.core import clock
from matchway.letters.models import LetterRequest, LetterStatus

from .factories import rotation_application, sent_request, uploaded_request

pytestmark = pytest.mark.django_db

BASE = "/api/v1/me/letter-requests"


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "writer_name": "Dr. Ada Obi",
        "writer_email": "ada.obi@example.org",
        "due_date": (timezone.localdate() + dt.timedelta(days=35)).isoformat(),
        "waived": True,
    }
    body.update(overrides)
    return body


def test_create_sends_by_default(applicant: Any, applicant_client: Client) -> None:
    response = _post(applicant_client, BASE, _body(eras_letter_id="  L-1 "))
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "requested"
    assert data["eras_letter_id"] == "L-1"
    assert data["letter"] is None
    assert mail.outbox[-1].to == ["ada.obi@example.org"]


def test_create_draft_from_rotation(
    applicant: Any, applicant_client: Client, preceptor: Any
) -> None:
    application = rotation_application(applicant, preceptor)
    response = _post(
        applicant_client,
        BASE,
        {
            "application_id": application.pk,
            "writer_id": preceptor.pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=35)).isoformat(),
            "waived": False,
            "send": False,
        },
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert response.json()["writer_email"] == preceptor.email


def test_create_validation_errors(applicant: Any, applicant_client: Client) -> None:
    response = _post(applicant_client, BASE, _body(writer_email=applicant.email, specialty="zzz"))
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "validation_error"
    assert {e["field"] for e in data["errors"]} == {"writer_email", "specialty_code"}
    missing = _post(applicant_client, BASE, {"writer_name": "x"})
    assert missing.status_code == 422


def test_list_is_paginated_and_own_only(
    applicant: Any, applicant_client: Client, outsider: Any, outsider_client: Client
) -> None:
    for i in range(3):
        sent_request(applicant, writer_email=f"w{i}@example.org")
    sent_request(outsider)
    data = applicant_client.get(BASE, {"limit": 2}).json()
    assert data["count"] == 3
    assert len(data["items"]) == 2
    assert outsider_client.get(BASE).json()["count"] == 1


def test_detail_of_waived_letter_is_status_only(applicant: Any, applicant_client: Client) -> None:
    req = uploaded_request(applicant, waived=True)
    data = applicant_client.get(f"{BASE}/{req.pk}").json()
    assert data["status"] == "uploaded"
    assert data["finalized_at"] is not None
    assert data["letter"] is None
    open_req = uploaded_request(applicant, waived=False, writer_email="open@example.org")
    letter = applicant_client.get(f"{BASE}/{open_req.pk}").json()["letter"]
    assert letter["pages"] == 2
    assert letter["download_url"] == f"/letters/requests/{open_req.pk}/letter/"


def test_others_get_404_or_403(
    applicant: Any, outsider_client: Client, preceptor_client: Client, anonymous: Client
) -> None:
    req = sent_request(applicant)
    for method, url in (
        ("get", f"{BASE}/{req.pk}"),
        ("post", f"{BASE}/{req.pk}/withdraw"),
        ("post", f"{BASE}/{req.pk}/nudge"),
    ):
        call = getattr(outsider_client, method)
        response = call(url, content_type="application/json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        response = getattr(preceptor_client, method)(url, content_type="application/json")
        assert response.status_code == 403
        assert getattr(anonymous, method)(url).status_code == 401
    req.refresh_from_db()
    assert req.status == LetterStatus.REQUESTED


def test_withdraw_and_nudge(applicant: Any, applicant_client: Client) -> None:
    req = sent_request(applicant)
    too_soon = _post(applicant_client, f"{BASE}/{req.pk}/nudge")
    assert too_soon.status_code == 429
    LetterRequest.objects.filter(pk=req.pk).update(requested_at=clock.now() - dt.timedelta(days=8))
    first = _post(applicant_client, f"{BASE}/{req.pk}/nudge")
    assert first.status_code == 200
    assert first.json()["next_nudge_at"] is not None
    second = _post(applicant_client, f"{BASE}/{req.pk}/nudge")
    assert second.status_code == 429
    assert second.json()["code"] == "rate_limited"
    withdrawn = _post(applicant_client, f"{BASE}/{req.pk}/withdraw", {"reason": "x"})
    assert withdrawn.json()["status"] == "withdrawn"
    again = _post(applicant_client, f"{BASE}/{req.pk}/withdraw")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert LetterRequest.objects.get().status == LetterStatus.WITHDRAWN
