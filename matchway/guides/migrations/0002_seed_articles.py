"""Seed the bundled guides from content/*.md so a fresh install has them.

Self-contained on purpose: a migration must keep working when app code changes later, so
the tiny front-matter parser, word count and source hash are copied here (the same rules
as matchway/guides/loader.py, models.count_words and services.source_hash; a test checks
that `load_guides` finds everything this migration created unchanged). Rendering happens
lazily on first read (empty `content_hash`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
_URL = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _parse(text):
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError("front matter must start with '---'")
    meta = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return meta, "\n".join(lines[number:]).strip("\n") + "\n"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _sep, value = line.partition(":")
        meta[key.strip().lower()] = value.strip().strip("\"'").strip()
    raise ValueError("front matter has no closing '---'")


def _hash(title, summary, body, tags):
    digest = hashlib.sha256()
    for part in (title, summary, body, ",".join(sorted(tags))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _midnight(value):
    day = dt.date.fromisoformat(value)
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def seed(apps, schema_editor):
    Article = apps.get_model("guides", "Article")
    Tag = apps.get_model("guides", "Tag")
    for path in sorted(CONTENT_DIR.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        meta, body = _parse(path.read_text(encoding="utf-8"))
        slug = meta.get("slug") or path.stem
        if Article.objects.filter(slug=slug).exists():
            continue
        tags = list(dict.fromkeys(t.strip() for t in meta.get("tags", "").split(",") if t.strip()))
        published = _midnight(meta["published"])
        updated = max(_midnight(meta.get("updated") or meta["published"]), published)
        article = Article.objects.create(
            slug=slug,
            title=meta["title"],
            summary=meta["summary"],
            body=body,
            status="published",
            published_at=published,
            updated_at=updated,
            word_count=len(_WORD.findall(_URL.sub("]", body))),
            source_hash=_hash(meta["title"], meta["summary"], body, tags),
        )
        tag_objects = []
        for name in tags:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name, slug=slugify(name)[:60] or "tag")
            tag_objects.append(tag)
        article.tags.set(tag_objects)


def unseed(apps, schema_editor):
    Article = apps.get_model("guides", "Article")
    slugs = [p.stem for p in CONTENT_DIR.glob("*.md") if p.name.lower() != "readme.md"]
    # Only untouched seeds: an article edited in the app has a different revision.
    Article.objects.filter(slug__in=slugs, revision=1, author__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
