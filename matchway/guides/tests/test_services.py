from __future__ import annotations

import datetime as dt
import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from matchway.core.exceptions import ValidationFailed
from matchway.core.models import AuditEvent
from matchway.guides.loader import read_articles
from matchway.guides.models import Article, ArticleStatus, Tag
from matchway.guides.periodic import JOBS, guides_flush_views, guides_publish_due
from matchway.guides.rendering import UNKNOWN_MARKER
from matchway.guides.services import (
    MSG_EDIT_CONFLICT,
    ArticleInput,
    article_create,
    article_render,
    article_update,
    article_view_record,
    articles_sync_from_files,
    source_hash,
)

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _input(**overrides: Any) -> ArticleInput:
    values: dict[str, Any] = {
        "title": "Visa basics for observers",
        "summary": "What a B-1 visitor visa allows during an observership.",
        "body": "Intro.\n\n## What it allows\n\nObserving. Limit {{eras.experiences.max_count}}.",
        "tags": ["USCE", "Visas"],
        "status": ArticleStatus.DRAFT,
    }
    values.update(overrides)
    return ArticleInput(**values)


# --- seed data -----------------------------------------------------------------------


def test_migration_seeds_the_seven_articles_with_their_tags() -> None:
    from importlib import import_module

    from django.apps import apps

    Article.objects.all().delete()
    Tag.objects.all().delete()
    migration = import_module("matchway.guides.migrations.0002_seed_articles")
    migration.seed(apps, None)
    migration.seed(apps, None)  # idempotent
    sources = {s.slug: s for s in read_articles()}
    articles = Article.objects.prefetch_related("tags")
    assert {a.slug for a in articles} == set(sources)
    for article in articles:
        source = sources[article.slug]
        assert article.status == ArticleStatus.PUBLISHED
        assert article.is_visible()
        assert sorted(t.name for t in article.tags.all()) == sorted(source.tags)
        assert article.word_count > 800
        assert article.source_hash == source_hash(
            source.title, source.summary, source.body, source.tags
        )
    assert set(Tag.objects.values_list("name", flat=True)) >= {
        "SOAP", "USCE", "ERAS", "IMG challenges", "specialty choice", "personal statement",
        "letters",
    }  # fmt: skip
    assert Tag.objects.get(name="IMG challenges").slug == "img-challenges"


def test_load_guides_is_idempotent_after_the_migration() -> None:
    out = StringIO()
    call_command("load_guides", stdout=out)
    assert "0 created, 0 updated, 7 unchanged, 0 skipped" in out.getvalue()


def test_load_guides_recreates_and_updates_from_files(tmp_path: Path) -> None:
    Article.objects.filter(slug="soap-for-imgs").delete()
    folder = tmp_path / "content"
    folder.mkdir()
    for source in read_articles():
        text = source.path.read_text(encoding="utf-8")
        if source.slug == "personal-statement-tips-img":
            text = text.replace("## The rules first", "## The rules, first of all")
        (folder / source.path.name).write_text(text, encoding="utf-8")
    result = articles_sync_from_files(directory=folder)
    assert result.created == ["soap-for-imgs"]
    assert result.updated == ["personal-statement-tips-img"]
    assert len(result.unchanged) == 5
    updated = Article.objects.get(slug="personal-statement-tips-img")
    assert "The rules, first of all" in article_render(updated).html
    assert updated.revision == 2
    again = articles_sync_from_files(directory=folder)
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 7)


def test_load_guides_does_not_clobber_in_app_edits(coordinator: Any, tmp_path: Path) -> None:
    article = Article.objects.get(slug="soap-for-imgs")
    article_update(
        actor=coordinator,
        article=article,
        data=_input(title=article.title, summary=article.summary, body=article.body + "\nMore.",
                    tags=[t.name for t in article.tags.all()], status=ArticleStatus.PUBLISHED),
        expected_revision=article.revision,
    )  # fmt: skip
    folder = tmp_path / "content"
    folder.mkdir()
    for source in read_articles():
        text = source.path.read_text(encoding="utf-8").replace("Match Week", "Match week")
        (folder / source.path.name).write_text(text, encoding="utf-8")
    result = articles_sync_from_files(directory=folder, dry_run=True)
    assert "soap-for-imgs" in result.skipped
    forced = articles_sync_from_files(directory=folder, force=True)
    assert "soap-for-imgs" in forced.updated
    assert "More." not in Article.objects.get(slug="soap-for-imgs").body


# --- create / update -----------------------------------------------------------------


def test_create_draft_renders_and_audits(coordinator: Any) -> None:
    article = article_create(actor=coordinator, data=_input())
    assert article.slug == "visa-basics-for-observers"
    assert article.status == ArticleStatus.DRAFT
    assert article.published_at is None
    assert not article.is_visible()
    assert article.author == coordinator
    assert sorted(t.name for t in article.tags.all()) == ["USCE", "Visas"]
    assert Tag.objects.filter(name="USCE").count() == 1  # reused, case-insensitively
    assert "Limit 10." in article.rendered_html
    assert AuditEvent.objects.filter(action="article.created", target_id=str(article.pk)).exists()


def test_create_rejects_reserved_and_taken_slugs(coordinator: Any) -> None:
    with pytest.raises(ValidationFailed) as taken:
        article_create(actor=coordinator, data=_input(slug="soap-for-imgs"))
    assert "slug" in taken.value.errors
    with pytest.raises(ValidationFailed):
        article_create(actor=coordinator, data=_input(slug="feed"))


def test_publish_now_and_schedule(coordinator: Any) -> None:
    now = timezone.now()
    published = article_create(actor=coordinator, data=_input(status=ArticleStatus.PUBLISHED))
    assert published.is_visible()
    assert abs((published.published_at - now).total_seconds()) < 5  # type: ignore[operator]
    later = now + dt.timedelta(days=2)
    scheduled = article_create(
        actor=coordinator,
        data=_input(title="Later", status=ArticleStatus.SCHEDULED, publish_at=later),
    )
    assert scheduled.published_at == later
    assert not scheduled.is_visible()
    assert scheduled.is_visible(later + dt.timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as past:
        article_create(
            actor=coordinator,
            data=_input(title="Past", status=ArticleStatus.SCHEDULED, publish_at=now),
        )
    assert "publish_at" in past.value.errors


def test_update_moves_last_updated_only_for_text_changes(coordinator: Any) -> None:
    article = article_create(actor=coordinator, data=_input())
    first_updated = article.updated_at
    same_text = article_update(
        actor=coordinator,
        article=article,
        data=_input(tags=["USCE"]),
        expected_revision=article.revision,
    )
    assert same_text.updated_at == first_updated
    assert same_text.revision == 2
    edited = article_update(
        actor=coordinator,
        article=same_text,
        data=_input(tags=["USCE"], body="New body.", status=ArticleStatus.PUBLISHED),
        expected_revision=same_text.revision,
    )
    assert edited.updated_at > first_updated
    assert "New body." in edited.rendered_html
    actions = list(
        AuditEvent.objects.filter(target_id=str(article.pk), target_type="guides.article")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["article.created", "article.updated", "article.updated", "article.published"]


@pytest.mark.postgres
def test_update_refuses_a_lost_update(coordinator: Any) -> None:
    article = article_create(actor=coordinator, data=_input())
    stale_revision = article.revision
    article_update(actor=coordinator, article=article, data=_input(body="Mine."),
                   expected_revision=stale_revision)  # fmt: skip
    with pytest.raises(ValidationFailed) as conflict:
        article_update(actor=coordinator, article=article, data=_input(body="Theirs."),
                       expected_revision=stale_revision)  # fmt: skip
    assert conflict.value.message == str(MSG_EDIT_CONFLICT)
    assert Article.objects.get(pk=article.pk).body == "Mine."


def test_unpublishing_is_audited(coordinator: Any) -> None:
    article = article_create(actor=coordinator, data=_input(status=ArticleStatus.PUBLISHED))
    article_update(actor=coordinator, article=article, data=_input(),
                   expected_revision=article.revision)  # fmt: skip
    assert AuditEvent.objects.filter(action="article.unpublished").exists()
    assert not Article.objects.get(pk=article.pk).is_visible()


# --- render cache --------------------------------------------------------------------


def test_render_cache_is_reused_and_invalidated_by_the_data_file(eras_copy: Any) -> None:
    article = Article.objects.get(slug="strong-eras-application-img")
    first = article_render(article)
    assert "750" in first.html
    article.refresh_from_db()
    assert article.content_hash
    assert article.rendered_html == first.html

    data = json.loads(eras_copy.read_text())
    data["experiences"]["description_max_chars"]["value"] = 1024
    data["experiences"]["description_max_chars"]["season"] = "ERAS 2099"
    eras_copy.write_text(json.dumps(data))
    stat = eras_copy.stat()
    os.utime(eras_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))

    second = article_render(Article.objects.get(pk=article.pk))
    assert "1,024" in second.html
    assert "ERAS 2099" in second.seasons
    assert Article.objects.get(pk=article.pk).rendered_html == second.html


def test_every_seeded_article_renders_its_season_values() -> None:
    for article in Article.objects.all():
        rendered = article_render(article)
        assert UNKNOWN_MARKER not in rendered.html, article.slug
        assert "{{" not in rendered.html, article.slug
    soap = article_render(Article.objects.get(slug="soap-for-imgs"))
    assert "You have 45 applications for the whole of SOAP" in soap.html


# --- periodic jobs -------------------------------------------------------------------


@pytest.mark.postgres
def test_publish_due_job_flips_only_due_articles() -> None:
    due = ArticleFactory(status=ArticleStatus.SCHEDULED,
                         published_at=timezone.now() - dt.timedelta(minutes=1))  # fmt: skip
    future = ArticleFactory(status=ArticleStatus.SCHEDULED,
                            published_at=timezone.now() + dt.timedelta(days=1))  # fmt: skip
    assert guides_publish_due in JOBS
    assert guides_publish_due() == 1
    assert guides_publish_due() == 0
    due.refresh_from_db()
    future.refresh_from_db()
    assert due.status == ArticleStatus.PUBLISHED
    assert future.status == ArticleStatus.SCHEDULED


def test_views_are_counted_in_the_cache_and_flushed() -> None:
    article = Article.objects.get(slug="soap-for-imgs")
    for _ in range(3):
        article_view_record(article)
    assert Article.objects.get(pk=article.pk).view_count == 0
    assert guides_flush_views() == 3
    assert guides_flush_views() == 0
    assert Article.objects.get(pk=article.pk).view_count == 3
    cache.clear()
    assert guides_flush_views() == 0


def test_demo_seed_is_idempotent(coordinator: Any) -> None:
    from matchway.guides.demo import DEMO_DRAFT, DEMO_SCHEDULED_SLUG, seed

    context = {"users": {"coordinator": coordinator}, "stdout": StringIO()}
    seed(context)
    seed(context)
    assert Article.objects.get(slug=DEMO_DRAFT.slug).status == ArticleStatus.DRAFT
    assert Article.objects.get(slug=DEMO_SCHEDULED_SLUG).status == ArticleStatus.SCHEDULED
    assert Article.objects.count() == 9
