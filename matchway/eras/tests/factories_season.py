"""Factories for the season part's tests (programs and targets made directly: the pages
that create them belong to the programs part)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from matchway.accounts.tests.factories import UserFactory
from matchway.eras.models import Interview, Program, ProgramTarget
from matchway.reference.models import Specialty


def specialty(code: str = "140") -> Specialty:
    """The reference row (load it with the `reference_data` fixture), or a bare one."""
    found = Specialty.objects.filter(code=code).first()
    if found is not None:
        return found
    return Specialty.objects.create(code=code, name=f"Specialty {code}")


class ProgramFactory(factory.django.DjangoModelFactory[Program]):
    class Meta:
        model = Program

    owner = factory.SubFactory(UserFactory, role="applicant")
    acgme_id = factory.Sequence(lambda n: f"{1400000000 + n:010d}")
    name = factory.Sequence(lambda n: f"Riverside Internal Medicine {n}")
    specialty = factory.LazyFunction(lambda: specialty("140"))
    city = "Albany"
    state = "NY"


class ProgramTargetFactory(factory.django.DjangoModelFactory[ProgramTarget]):
    class Meta:
        model = ProgramTarget

    applicant = factory.SubFactory(UserFactory, role="applicant")
    program = factory.LazyAttribute(lambda o: ProgramFactory(owner=o.applicant))
    season = "2027"
    status = "applied"


class InterviewFactory(factory.django.DjangoModelFactory[Interview]):
    class Meta:
        model = Interview

    target = factory.SubFactory(ProgramTargetFactory)
    starts_at = dt.datetime(2026, 11, 10, 14, 0, tzinfo=dt.UTC)
    timezone = "America/New_York"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Interview:
        return super()._create(model_class, *args, **kwargs)
