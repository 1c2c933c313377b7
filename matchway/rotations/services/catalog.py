"""Catalog writes: sites and rotations (create, update, publish). Every write is audited.

Only coordinators manage the catalog; the views check the role too, but the service is
the rule (the API and seed data call it directly).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, ValidationFailed
from matchway.documents.models import DocumentType

from ..models import Rotation, RotationKind, Site, SiteKind

SITE_FIELDS = ("name", "kind", "address", "city", "state", "timezone", "description")
ROTATION_FIELDS = (
    "title",
    "specialty",
    "subspecialty",
    "kind",
    "hands_on",
    "site",
    "description",
    "weeks",
    "price_cents",
    "deposit_cents",
    "refund_policy",
    "graduates_allowed",
    "students_allowed",
    "eligibility_notes",
    "letter_possible",
    "hold_hours",
)
# First path segments of other pages under /rotations/ (see urls.py): never rotation slugs.
RESERVED_SLUGS = frozenset({"applications", "calendar", "manage", "sessions", "teaching"})
MSG_SLUG_TAKEN = _("Another rotation already uses this web address.")
MSG_DEPOSIT = _("The deposit cannot be more than the price.")
MSG_VIRTUAL_ADDRESS = _("A virtual site has no street address.")
MSG_NOT_PRECEPTOR = _("Only preceptors can teach a rotation.")


def _require_coordinator(actor: User) -> None:
    if getattr(actor, "role", None) != Role.COORDINATOR:
        raise AccessDenied()


def _clean_site(fields: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in fields.items() if k in SITE_FIELDS}
    if data.get("kind") == SiteKind.VIRTUAL and data.get("address"):
        raise ValidationFailed(errors={"address": [str(MSG_VIRTUAL_ADDRESS)]})
    return data


def site_create(*, actor: User, **fields: Any) -> Site:
    _require_coordinator(actor)
    with transaction.atomic():
        site = Site.objects.create(**_clean_site(fields))
        audit_record(actor=actor, action="site.created", target=site, data={"name": site.name})
    return site


def site_update(*, actor: User, site: Site, **fields: Any) -> Site:
    _require_coordinator(actor)
    data = _clean_site(fields)
    changed = sorted(k for k, v in data.items() if getattr(site, k) != v)
    if not changed:
        return site
    with transaction.atomic():
        for key in changed:
            setattr(site, key, data[key])
        site.save()
        audit_record(actor=actor, action="site.updated", target=site, data={"fields": changed})
    return site


def _available_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(base) or "rotation")[:110]
    if base in RESERVED_SLUGS:
        base = f"{base}-rotation"
    candidates = Rotation.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    taken = set(candidates.values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _clean_rotation(fields: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in fields.items() if k in ROTATION_FIELDS}
    price = data.get("price_cents")
    deposit = data.get("deposit_cents", 0)
    if price is not None and deposit is not None and deposit > price:
        raise ValidationFailed(errors={"deposit": [str(MSG_DEPOSIT)]})
    if data.get("kind") == RotationKind.OBSERVERSHIP:
        # An observership is never hands-on: say so in the data, not only in the copy.
        data["hands_on"] = False
    return data


def _check_preceptors(preceptors: Iterable[User]) -> list[User]:
    people = list(preceptors)
    if any(p.role != Role.PRECEPTOR for p in people):
        raise ValidationFailed(errors={"preceptors": [str(MSG_NOT_PRECEPTOR)]})
    return people


def rotation_create(
    *,
    actor: User,
    preceptors: Iterable[User] = (),
    required_document_types: Iterable[DocumentType] = (),
    slug: str = "",
    published: bool = False,
    **fields: Any,
) -> Rotation:
    """Create a rotation (unpublished by default). Raises ValidationFailed on bad data."""
    _require_coordinator(actor)
    data = _clean_rotation(fields)
    people = _check_preceptors(preceptors)
    with transaction.atomic():
        if slug and (slug in RESERVED_SLUGS or Rotation.objects.filter(slug=slug).exists()):
            raise ValidationFailed(errors={"slug": [str(MSG_SLUG_TAKEN)]})
        rotation = Rotation.objects.create(
            slug=slug or _available_slug(data.get("title", "")), published=published, **data
        )
        rotation.preceptors.set(people)
        rotation.required_document_types.set(list(required_document_types))
        audit_record(
            actor=actor,
            action="rotation.created",
            target=rotation,
            data={"slug": rotation.slug, "published": published},
        )
    return rotation


def rotation_update(
    *,
    actor: User,
    rotation: Rotation,
    preceptors: Iterable[User] | None = None,
    required_document_types: Iterable[DocumentType] | None = None,
    slug: str = "",
    **fields: Any,
) -> Rotation:
    """Update fields and, when given, the preceptor and required-document sets."""
    _require_coordinator(actor)
    data = _clean_rotation(fields)
    changed = sorted(k for k, v in data.items() if getattr(rotation, k) != v)
    with transaction.atomic():
        if slug and slug != rotation.slug:
            taken = Rotation.objects.filter(slug=slug).exclude(pk=rotation.pk).exists()
            if taken or slug in RESERVED_SLUGS:
                raise ValidationFailed(errors={"slug": [str(MSG_SLUG_TAKEN)]})
            rotation.slug = slug
            changed.append("slug")
        for key in changed:
            if key != "slug":
                setattr(rotation, key, data[key])
        if changed:
            rotation.save()
        if preceptors is not None:
            people = _check_preceptors(preceptors)
            if {p.pk for p in people} != set(rotation.preceptors.values_list("pk", flat=True)):
                rotation.preceptors.set(people)
                changed.append("preceptors")
        if required_document_types is not None:
            types = list(required_document_types)
            current = set(rotation.required_document_types.values_list("pk", flat=True))
            if {t.pk for t in types} != current:
                rotation.required_document_types.set(types)
                changed.append("required_document_types")
        if changed:
            audit_record(
                actor=actor, action="rotation.updated", target=rotation, data={"fields": changed}
            )
    return rotation


def rotation_set_published(*, actor: User, rotation: Rotation, published: bool) -> Rotation:
    """Publish or unpublish. Unpublishing hides the page; applications are not touched."""
    _require_coordinator(actor)
    if rotation.published == published:
        return rotation
    with transaction.atomic():
        rotation.published = published
        rotation.save(update_fields=["published", "updated_at"])
        audit_record(
            actor=actor,
            action="rotation.published" if published else "rotation.unpublished",
            target=rotation,
        )
    return rotation
