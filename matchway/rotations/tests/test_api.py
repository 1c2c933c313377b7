"""JSON API of the booking core: /api/v1/rotations, /sessions, /applications, /me/applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from matchway.accounts.models import User
from matchway.accounts.services import api_token_create
from matchway.accounts.tests.factories import UserFactory
from matchway.rotations.models import (
    Application,
    ApplicationStatus,
    BookingMode,
    Rotation,
    RotationKind,
    RotationSession,
    SessionStatus,
)
from matchway.rotations.tests.factories import (
    ApplicationFactory,
    RotationFactory,
    RotationSessionFactory,
    SiteFactory,
    SpecialtyFactory,
    StateFactory,
)

S = ApplicationStatus
API = "/api/v1"


def post(client: Client, url: str, body: dict[str, Any] | None = None, **extra: Any) -> Any:
    if body is None:  # a truly empty body, as curl -X POST sends
        return client.generic("POST", url, **extra)
    return client.post(url, data=body, content_type="application/json", **extra)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def parse_timestamp(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value  # ISO 8601 with an offset
    return parsed


@pytest.fixture
def rotation(db: None, preceptor: User) -> Rotation:
    return RotationFactory(
        slug="im-brooklyn", title="Internal Medicine Brooklyn", preceptors=[preceptor]
    )


@pytest.fixture
def session(rotation: Rotation) -> RotationSession:
    return RotationSessionFactory(rotation=rotation, capacity=1, booking_mode=BookingMode.INSTANT)


# --- Catalog ---------------------------------------------------------------------------


def test_rotation_list_is_public_and_paginated(anonymous: Client, db: None) -> None:
    RotationFactory.create_batch(3)
    RotationFactory(published=False)
    response = anonymous.get(f"{API}/rotations", {"limit": 2, "offset": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    item = body["items"][0]
    assert item["specialty"] == "140"
    assert isinstance(item["price_cents"], int)
    assert set(item["site"]) == {"name", "kind", "city", "state", "timezone"}


def test_rotation_list_filters(anonymous: Client, db: None) -> None:
    today = timezone.localdate()
    texas = SiteFactory(state=StateFactory(code="TX", name="Texas"), city="Houston")
    peds = SpecialtyFactory(code="320", name="Pediatrics")
    cheap = RotationFactory(
        title="Pediatrics observership",
        specialty=peds,
        price_cents=90_000,
        kind=RotationKind.OBSERVERSHIP,
        site=texas,
    )
    dear = RotationFactory(
        title="Cardiology research", price_cents=300_000, kind=RotationKind.RESEARCH
    )
    RotationSessionFactory(rotation=cheap, start_date=today + dt.timedelta(days=10))
    RotationSessionFactory(rotation=dear, start_date=today + dt.timedelta(days=40))

    def slugs(**params: Any) -> set[str]:
        response = anonymous.get(f"{API}/rotations", params)
        assert response.status_code == 200, response.content
        return {item["slug"] for item in response.json()["items"]}

    assert slugs(specialty="320") == {cheap.slug}
    assert slugs(kind="research") == {dear.slug}
    assert slugs(state="TX") == {cheap.slug}
    assert slugs(max_price=900) == {cheap.slug}  # whole dollars
    assert slugs(max_price=899) == set()
    starts = (today + dt.timedelta(days=40)).isoformat()
    assert slugs(starts_after=starts) == {dear.slug}  # inclusive
    assert slugs(q="cardio") == {dear.slug}
    assert slugs(q="houston") == {cheap.slug}
    response = anonymous.get(f"{API}/rotations")
    next_starts = {i["slug"]: i["next_start"] for i in response.json()["items"]}
    assert next_starts[cheap.slug] == (today + dt.timedelta(days=10)).isoformat()


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "safari"},
        {"limit": 101},
        {"offset": -1},
        {"starts_after": "soon"},
        {"max_price": -1},
    ],
)
def test_rotation_list_rejects_bad_filters(
    anonymous: Client, db: None, params: dict[str, Any]
) -> None:
    body = assert_error(anonymous.get(f"{API}/rotations", params), 422, "validation_error")
    assert body["errors"]
    assert {"field", "message"} <= set(body["errors"][0])


def test_rotation_list_queries_do_not_grow(
    anonymous: Client, db: None, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        RotationSessionFactory()
    with django_assert_max_num_queries(3):
        response = anonymous.get(f"{API}/rotations")
    assert response.json()["count"] == 6


def test_rotation_get_with_sessions_and_seats(
    anonymous: Client, rotation: Rotation, session: RotationSession
) -> None:
    RotationSessionFactory(rotation=rotation, status=SessionStatus.CANCELLED)
    RotationSessionFactory(
        rotation=rotation,
        start_date=timezone.localdate() - dt.timedelta(days=60),
        end_date=timezone.localdate() - dt.timedelta(days=30),
    )
    ApplicationFactory(session=session, status=S.CONFIRMED)
    response = anonymous.get(f"{API}/rotations/{rotation.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "im-brooklyn"
    assert body["preceptors"] == ["Dr. Bob Brown"]
    assert body["eligibility"]["graduates_allowed"] is True
    assert [s["id"] for s in body["sessions"]] == [session.pk]
    assert body["sessions"][0]["seats_available"] == 0
    assert body["sessions"][0]["start_date"] == session.start_date.isoformat()


def test_rotation_get_queries_do_not_grow(
    anonymous: Client, rotation: Rotation, django_assert_max_num_queries: Any
) -> None:
    RotationSessionFactory.create_batch(5, rotation=rotation)
    with django_assert_max_num_queries(4):
        response = anonymous.get(f"{API}/rotations/{rotation.slug}")
    assert len(response.json()["sessions"]) == 5


def test_unpublished_or_unknown_rotation_is_404(anonymous: Client, rotation: Rotation) -> None:
    assert_error(anonymous.get(f"{API}/rotations/nope"), 404, "not_found")
    rotation.published = False
    rotation.save()
    assert_error(anonymous.get(f"{API}/rotations/{rotation.slug}"), 404, "not_found")


def test_session_get(anonymous: Client, session: RotationSession) -> None:
    response = anonymous.get(f"{API}/sessions/{session.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": session.pk,
        "rotation": "im-brooklyn",
        "start_date": session.start_date.isoformat(),
        "end_date": session.end_date.isoformat(),
        "application_deadline": None,
        "capacity": 1,
        "seats_available": 1,
        "waitlist_count": 0,
        "booking_mode": "instant",
        "status": "open",
        "accepts_applications": True,
    }
    assert_error(anonymous.get(f"{API}/sessions/999999"), 404, "not_found")


# --- Applying --------------------------------------------------------------------------


def test_apply_takes_the_seat(applicant_client: Client, session: RotationSession) -> None:
    response = post(
        applicant_client,
        f"{API}/sessions/{session.pk}/applications",
        {"motivation": "Keen to learn"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "status", "hold_expires_at", "waitlist_position"}
    assert body["status"] == "accepted"
    assert body["waitlist_position"] is None
    assert parse_timestamp(body["hold_expires_at"]) > timezone.now()
    assert Application.objects.get(pk=body["id"]).motivation == "Keen to learn"


def test_apply_without_a_body(applicant_client: Client, session: RotationSession) -> None:
    response = post(applicant_client, f"{API}/sessions/{session.pk}/applications")
    assert response.status_code == 201, response.content


def test_apply_to_full_session(
    applicant_client: Client, outsider_client: Client, session: RotationSession
) -> None:
    post(outsider_client, f"{API}/sessions/{session.pk}/applications")
    url = f"{API}/sessions/{session.pk}/applications"
    assert_error(post(applicant_client, url, {}), 409, "session_full")
    response = post(applicant_client, url, {"waitlist": True})
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1
    assert response.json()["hold_expires_at"] is None


def test_apply_twice(applicant_client: Client, session: RotationSession) -> None:
    url = f"{API}/sessions/{session.pk}/applications"
    post(applicant_client, url, {})
    assert_error(post(applicant_client, url, {}), 409, "already_applied")


def test_apply_to_closed_session(applicant_client: Client, session: RotationSession) -> None:
    session.status = SessionStatus.CLOSED
    session.save()
    assert_error(
        post(applicant_client, f"{API}/sessions/{session.pk}/applications", {}),
        409,
        "session_closed",
    )


def test_apply_review_session(applicant_client: Client, rotation: Rotation) -> None:
    review = RotationSessionFactory(rotation=rotation, booking_mode=BookingMode.REVIEW)
    response = post(applicant_client, f"{API}/sessions/{review.pk}/applications", {})
    assert response.json()["status"] == "submitted"


@pytest.mark.parametrize("persona", ["preceptor_client", "coordinator_client"])
def test_only_applicants_apply(
    persona: str, request: pytest.FixtureRequest, session: RotationSession
) -> None:
    client = request.getfixturevalue(persona)
    assert_error(
        post(client, f"{API}/sessions/{session.pk}/applications", {}), 403, "permission_denied"
    )


def test_apply_requires_sign_in(anonymous: Client, session: RotationSession) -> None:
    assert_error(
        post(anonymous, f"{API}/sessions/{session.pk}/applications", {}), 401, "not_authenticated"
    )


def test_apply_unknown_or_hidden_session(
    applicant_client: Client, session: RotationSession
) -> None:
    assert_error(
        post(applicant_client, f"{API}/sessions/999999/applications", {}), 404, "not_found"
    )
    session.rotation.published = False
    session.rotation.save()
    assert_error(
        post(applicant_client, f"{API}/sessions/{session.pk}/applications", {}), 404, "not_found"
    )


def test_apply_validates_body(applicant_client: Client, session: RotationSession) -> None:
    url = f"{API}/sessions/{session.pk}/applications"
    body = assert_error(
        post(applicant_client, url, {"motivation": "x" * 4001}), 422, "validation_error"
    )
    assert body["errors"][0]["field"] == "motivation"
    assert_error(post(applicant_client, url, {"waitlist": "maybe"}), 422, "validation_error")


def test_apply_with_phi_in_the_motivation_is_422_phi_detected(
    applicant_client: Client, session: RotationSession
) -> None:
    url = f"{API}/sessions/{session.pk}/applications"
    body = assert_error(
        post(applicant_client, url, {"motivation": "Saw Mr. John Smith (MRN 12345678)."}),
        422,
        "phi_detected",
    )
    kinds = {f["kind"] for f in body["findings"]}
    assert {"name", "mrn"} <= kinds
    assert set(body["findings"][0]) >= {"kind", "start", "end", "text", "suggestion"}
    assert body["errors"][0]["field"] == "motivation"
    assert not Application.objects.filter(session=session).exists()


def test_apply_with_bearer_token(db: None, session: RotationSession) -> None:
    user = UserFactory(role="applicant")
    raw, _token = api_token_create(user=user, name="bench")
    response = Client().post(
        f"{API}/sessions/{session.pk}/applications",
        data={},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201
    assert Application.objects.get().applicant == user


# --- My applications, withdraw, decide ------------------------------------------------


def test_list_mine(applicant: User, applicant_client: Client, rotation: Rotation) -> None:
    sessions = RotationSessionFactory.create_batch(3, rotation=rotation)
    for s in sessions:
        ApplicationFactory(applicant=applicant, session=s, status=S.WAITLISTED)
    ApplicationFactory(session=sessions[0], status=S.ACCEPTED)  # someone else's
    response = applicant_client.get(f"{API}/me/applications", {"limit": 2})
    body = response.json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    item = body["items"][0]
    assert item["waitlist_position"] == 1
    assert item["session"]["rotation"]["slug"] == "im-brooklyn"
    parse_timestamp(item["submitted_at"])


def test_list_mine_is_empty_for_staff(coordinator_client: Client, session: RotationSession) -> None:
    ApplicationFactory(session=session)
    assert coordinator_client.get(f"{API}/me/applications").json() == {"items": [], "count": 0}


def test_list_mine_needs_sign_in(anonymous: Client, db: None) -> None:
    assert_error(anonymous.get(f"{API}/me/applications"), 401, "not_authenticated")


def test_withdraw(applicant: User, applicant_client: Client, session: RotationSession) -> None:
    application = ApplicationFactory(applicant=applicant, session=session, status=S.ACCEPTED)
    url = f"{API}/applications/{application.pk}/withdraw"
    response = post(applicant_client, url, {"reason": "Visa delayed"})
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert_error(post(applicant_client, url), 409, "invalid_transition")


@pytest.mark.parametrize("persona", ["outsider_client", "coordinator_client", "preceptor_client"])
def test_withdraw_by_others_is_404(
    persona: str, request: pytest.FixtureRequest, applicant: User, session: RotationSession
) -> None:
    application = ApplicationFactory(applicant=applicant, session=session, status=S.CONFIRMED)
    client = request.getfixturevalue(persona)
    assert_error(
        post(client, f"{API}/applications/{application.pk}/withdraw", {}), 404, "not_found"
    )
    application.refresh_from_db()
    assert application.status == S.CONFIRMED


def test_decide(coordinator_client: Client, rotation: Rotation) -> None:
    review = RotationSessionFactory(rotation=rotation, booking_mode=BookingMode.REVIEW, capacity=1)
    first, second = ApplicationFactory.create_batch(2, session=review)
    url = f"{API}/applications/{first.pk}/decision"
    response = post(coordinator_client, url, {"action": "accept", "message": "Welcome"})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert parse_timestamp(response.json()["hold_expires_at"])
    assert_error(post(coordinator_client, url, {"action": "accept"}), 409, "invalid_transition")
    second_url = f"{API}/applications/{second.pk}/decision"
    assert_error(post(coordinator_client, second_url, {"action": "accept"}), 409, "session_full")
    response = post(coordinator_client, second_url, {"action": "waitlist"})
    assert response.json()["waitlist_position"] == 1


def test_decide_rejects_unknown_action(
    coordinator_client: Client, session: RotationSession
) -> None:
    application = ApplicationFactory(session=session)
    body = assert_error(
        post(
            coordinator_client,
            f"{API}/applications/{application.pk}/decision",
            {"action": "promote"},
        ),
        422,
        "validation_error",
    )
    assert body["errors"][0]["field"] == "action"
    assert_error(
        post(coordinator_client, f"{API}/applications/{application.pk}/decision", {}),
        422,
        "validation_error",
    )


COORDINATOR_OPS = [("decision", {"action": "decline"}), ("confirm", {})]


@pytest.mark.parametrize(("op", "body"), COORDINATOR_OPS)
@pytest.mark.parametrize("persona", ["applicant_client", "preceptor_client"])
def test_only_coordinators_decide_or_confirm(
    persona: str,
    op: str,
    body: dict[str, Any],
    request: pytest.FixtureRequest,
    applicant: User,
    session: RotationSession,
) -> None:
    application = ApplicationFactory(applicant=applicant, session=session)
    client = request.getfixturevalue(persona)
    assert_error(
        post(client, f"{API}/applications/{application.pk}/{op}", body),
        403,
        "permission_denied",
    )


@pytest.mark.parametrize(("op", "body"), COORDINATOR_OPS)
def test_decide_or_confirm_unknown_application(
    op: str, body: dict[str, Any], coordinator_client: Client, db: None
) -> None:
    assert_error(
        post(coordinator_client, f"{API}/applications/999999/{op}", body),
        404,
        "not_found",
    )


def test_operations_are_in_the_openapi_schema(anonymous: Client, db: None) -> None:
    schema = anonymous.get(f"{API}/openapi.json").json()
    ids = {op["operationId"] for methods in schema["paths"].values() for op in methods.values()}
    assert {
        "rotations_rotation_list",
        "rotations_rotation_get",
        "rotations_session_get",
        "rotations_application_create",
        "rotations_application_list_mine",
        "rotations_application_withdraw",
        "rotations_application_decide",
    } <= ids
