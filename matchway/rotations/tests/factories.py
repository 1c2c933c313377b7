"""factory_boy factories for catalog and booking rows.

They write rows directly (fast setup for reads and views). Tests of a workflow should reach
states through the real services instead (e.g. `application_submit`, `application_accept`).
Reference rows (specialty, state, document type) are get-or-created, so the factories work
with or without the `reference_data` fixture.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.documents.models import DocumentType
from matchway.reference.models import Specialty, State
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


class SpecialtyFactory(factory.django.DjangoModelFactory[Specialty]):
    class Meta:
        model = Specialty
        django_get_or_create = ("code",)

    code = "140"
    name = "Internal Medicine (Categorical)"
    category = "primary_care"


class StateFactory(factory.django.DjangoModelFactory[State]):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = "NY"
    name = "New York"


class DocumentTypeFactory(factory.django.DjangoModelFactory[DocumentType]):
    class Meta:
        model = DocumentType
        django_get_or_create = ("code",)

    code = "cv"
    name = "Curriculum vitae"
    allowed_content_types = factory.LazyFunction(lambda: ["application/pdf"])
    max_size_bytes = 5 * 1024 * 1024


class SiteFactory(factory.django.DjangoModelFactory[Site]):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Riverside Hospital {n}")
    kind = SiteKind.HOSPITAL
    address = "1 Main Street"
    city = "Brooklyn"
    state = factory.SubFactory(StateFactory)
    timezone = "America/New_York"


class RotationFactory(factory.django.DjangoModelFactory[Rotation]):
    class Meta:
        model = Rotation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"internal-medicine-{n}")
    title = factory.Sequence(lambda n: f"Internal Medicine Clerkship {n}")
    specialty = factory.SubFactory(SpecialtyFactory)
    kind = RotationKind.CLERKSHIP
    hands_on = True
    site = factory.SubFactory(SiteFactory)
    weeks = 4
    price_cents = 150_000
    deposit_cents = 50_000
    hold_hours = 72
    published = True

    @factory.post_generation
    def preceptors(obj: Rotation, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.preceptors.set(extracted)

    @factory.post_generation
    def required_document_types(obj: Rotation, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.required_document_types.set(extracted)


def _in_weeks(weeks: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(weeks=weeks)


class RotationSessionFactory(factory.django.DjangoModelFactory[RotationSession]):
    class Meta:
        model = RotationSession

    rotation = factory.SubFactory(RotationFactory)
    start_date = factory.LazyFunction(lambda: _in_weeks(6))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=27))
    capacity = 5
    booking_mode = BookingMode.INSTANT
    status = SessionStatus.OPEN


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    """A row in any status (default `submitted`). `accepted` rows get a live hold."""

    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory, role="applicant")
    session = factory.SubFactory(RotationSessionFactory)
    status = ApplicationStatus.SUBMITTED
    motivation = "I want to learn inpatient medicine in a US teaching hospital."
    hold_expires_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + dt.timedelta(hours=72)
            if o.status == ApplicationStatus.ACCEPTED
            else None
        )
    )
    waitlisted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == ApplicationStatus.WAITLISTED else None
    )
