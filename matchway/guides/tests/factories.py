from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from matchway.guides.models import Article, ArticleStatus, Tag


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    """A published article (a minute ago, so newer than the seeded guides)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"test-guide-{n}")
    title = factory.Sequence(lambda n: f"Test guide number {n}")
    summary = "A short summary for a test guide."
    body = "An intro paragraph.\n\n## First section\n\nSome words here.\n"
    status = ArticleStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=1))

    @factory.post_generation
    def tags(obj: Article, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.tags.set(extracted)
