"""Factories for statements. Workflow tests go through the services instead."""

from __future__ import annotations

import factory
from django.utils import timezone

from matchway.accounts.tests.factories import UserFactory
from matchway.statements.models import Statement, StatementVersion, VersionSource
from matchway.statements.services import count_words


class StatementFactory(factory.django.DjangoModelFactory[Statement]):
    class Meta:
        model = Statement

    applicant = factory.SubFactory(UserFactory, role="applicant")
    title = factory.Sequence(lambda n: f"General statement {n}")


class StatementVersionFactory(factory.django.DjangoModelFactory[StatementVersion]):
    class Meta:
        model = StatementVersion

    statement = factory.SubFactory(StatementFactory)
    number = factory.Sequence(lambda n: n + 1)
    body = "During my observership in internal medicine I presented patients on rounds."
    source = VersionSource.MANUAL
    characters = factory.LazyAttribute(lambda o: len(o.body))
    words = factory.LazyAttribute(lambda o: count_words(o.body))
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
