"""Read the bundled articles in `content/*.md` (front matter + Markdown). No Django models here.

The front matter is the small subset described in content/README.md: one `key: value` per
line between two `---` lines. We parse it ourselves rather than add a YAML dependency.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
REQUIRED_KEYS = ("title", "slug", "summary", "tags", "published")


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class ArticleSource:
    slug: str
    title: str
    summary: str
    tags: tuple[str, ...]
    published: dt.date
    updated: dt.date
    body: str
    path: Path

    def published_at(self, tz: str) -> dt.datetime:
        return _midnight(self.published, tz)

    def updated_at(self, tz: str) -> dt.datetime:
        return _midnight(self.updated, tz)


def _midnight(day: dt.date, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(tz))


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`---\\nkey: value\\n---\\nbody` → ({key: value}, body). Raises ContentError."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError("front matter must start with a '---' line")
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            body = "\n".join(lines[number:]).strip("\n") + "\n"
            return meta, body
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ContentError(f"line {number}: expected 'key: value'")
        meta[key.strip().lower()] = value.strip().strip("\"'").strip()
    raise ContentError("front matter has no closing '---' line")


def parse_article(text: str, path: Path) -> ArticleSource:
    meta, body = split_front_matter(text)
    missing = [key for key in REQUIRED_KEYS if not meta.get(key)]
    if missing:
        raise ContentError(f"{path.name}: missing {', '.join(missing)}")
    if meta["slug"] != path.stem:
        raise ContentError(f"{path.name}: slug {meta['slug']!r} differs from the file name")
    try:
        published = dt.date.fromisoformat(meta["published"])
        updated = dt.date.fromisoformat(meta.get("updated") or meta["published"])
    except ValueError as exc:
        raise ContentError(f"{path.name}: dates must be YYYY-MM-DD") from exc
    tags = tuple(dict.fromkeys(t.strip() for t in meta["tags"].split(",") if t.strip()))
    return ArticleSource(
        slug=meta["slug"],
        title=meta["title"],
        summary=meta["summary"],
        tags=tags,
        published=published,
        updated=max(updated, published),
        body=body,
        path=path,
    )


def read_articles(directory: Path | None = None) -> list[ArticleSource]:
    """Every `<slug>.md` in the content folder except README.md, sorted by file name."""
    folder = directory or CONTENT_DIR
    return [
        parse_article(path.read_text(encoding="utf-8"), path)
        for path in sorted(folder.glob("*.md"))
        if path.name.lower() != "readme.md"
    ]
