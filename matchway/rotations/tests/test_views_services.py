"""The HTML side's own services: catalog writes (sites, rotations, publish) and calendar
feed tokens. Views are tested elsewhere; these pin the rules the services enforce."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from matchway.core.exceptions import AccessDenied, ValidationFailed
from matchway.core.models import AuditEvent
from matchway.reference.models import Specialty
from matchway.rotations.models import CalendarFeed, RotationKind, SiteKind
from matchway.rotations.selectors_catalog import catalog_generation
from matchway.rotations.services.calendar import (
    calendar_feed_create,
    calendar_feed_resolve,
    calendar_feed_revoke,
)
from matchway.rotations.services.catalog import (
    rotation_create,
    rotation_set_published,
    rotation_update,
    site_create,
    site_update,
)
from matchway.rotations.tests.factories import RotationFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _rotation_fields(**extra: Any) -> dict[str, Any]:
    fields = {
        "title": "Geriatrics Observership",
        "specialty": Specialty.objects.get(code="140"),
        "kind": RotationKind.OBSERVERSHIP,
        "site": SiteFactory(),
        "weeks": 2,
        "price_cents": 100_000,
        "deposit_cents": 20_000,
    }
    fields.update(extra)
    return fields


def test_only_coordinators_manage_the_catalog(
    applicant: Any, preceptor: Any, reference_data: None
) -> None:
    for actor in (applicant, preceptor):
        with pytest.raises(AccessDenied):
            site_create(actor=actor, name="X", kind=SiteKind.CLINIC)
        with pytest.raises(AccessDenied):
            rotation_create(actor=actor, **_rotation_fields())
        with pytest.raises(AccessDenied):
            rotation_set_published(actor=actor, rotation=RotationFactory(), published=False)


def test_site_rules_and_audit(coordinator: Any, reference_data: None) -> None:
    with pytest.raises(ValidationFailed) as exc:
        site_create(actor=coordinator, name="Online", kind=SiteKind.VIRTUAL, address="1 Main St")
    assert "address" in exc.value.errors
    site = site_create(actor=coordinator, name="Online", kind=SiteKind.VIRTUAL)
    site_update(actor=coordinator, site=site, name="Online Clinic")
    site_update(actor=coordinator, site=site, name="Online Clinic")  # no change, no event
    actions = list(
        AuditEvent.objects.filter(target_id=str(site.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["site.created", "site.updated"]


def test_slugs_are_unique_and_never_shadow_pages(coordinator: Any, reference_data: None) -> None:
    first = rotation_create(actor=coordinator, **_rotation_fields(title="Manage"))
    second = rotation_create(actor=coordinator, **_rotation_fields(title="Manage"))
    assert first.slug == "manage-rotation"
    assert second.slug == "manage-rotation-2"
    with pytest.raises(ValidationFailed):
        rotation_create(actor=coordinator, slug="calendar", **_rotation_fields())
    with pytest.raises(ValidationFailed):
        rotation_update(actor=coordinator, rotation=second, slug=first.slug)


def test_observership_is_never_hands_on_and_deposit_within_price(
    coordinator: Any, reference_data: None
) -> None:
    rotation = rotation_create(actor=coordinator, **_rotation_fields(hands_on=True))
    assert rotation.hands_on is False
    with pytest.raises(ValidationFailed) as exc:
        rotation_create(actor=coordinator, **_rotation_fields(deposit_cents=200_000))
    assert "deposit" in exc.value.errors


def test_update_records_changed_fields_and_sets(
    coordinator: Any, preceptor: Any, reference_data: None
) -> None:
    rotation = rotation_create(actor=coordinator, **_rotation_fields())
    rotation_update(
        actor=coordinator, rotation=rotation, price_cents=120_000, preceptors=[preceptor]
    )
    event = AuditEvent.objects.filter(action="rotation.updated").get()
    assert event.data["fields"] == ["price_cents", "preceptors"]
    assert list(rotation.preceptors.all()) == [preceptor]
    with pytest.raises(ValidationFailed):
        rotation_update(actor=coordinator, rotation=rotation, preceptors=[coordinator])


def test_publishing_bumps_the_catalog_generation(coordinator: Any, reference_data: None) -> None:
    cache.clear()
    rotation = RotationFactory(published=False)
    before = catalog_generation()
    rotation_set_published(actor=coordinator, rotation=rotation, published=True)
    assert catalog_generation() > before
    assert AuditEvent.objects.filter(action="rotation.published").exists()


def test_calendar_feed_tokens(applicant: Any, coordinator: Any, reference_data: None) -> None:
    with pytest.raises(AccessDenied):
        calendar_feed_create(actor=coordinator)
    raw, feed = calendar_feed_create(actor=applicant)
    assert raw not in feed.token_digest
    assert len(feed.token_digest) == 64
    assert calendar_feed_resolve(raw) == applicant
    assert calendar_feed_resolve(raw + "x") is None
    assert calendar_feed_resolve("") is None
    second, _ = calendar_feed_create(actor=applicant)
    assert calendar_feed_resolve(raw) is None
    assert calendar_feed_resolve(second) == applicant
    assert CalendarFeed.objects.filter(user=applicant, revoked_at__isnull=True).count() == 1
    assert calendar_feed_revoke(actor=applicant) == 1
    assert calendar_feed_resolve(second) is None
    assert calendar_feed_revoke(actor=applicant) == 0
    applicant.is_active = False
    applicant.save()
    third, _ = calendar_feed_create(actor=applicant)
    assert calendar_feed_resolve(third) is None  # deactivated accounts' feeds stop
