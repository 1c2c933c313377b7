"""The bundled articles and their loader: format rules from content/README.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from matchway.guides.loader import ContentError, parse_article, read_articles, split_front_matter
from matchway.guides.models import count_words
from matchway.guides.rendering import PLACEHOLDER, render_markdown
from matchway.reference.eras import eras_fact

ALLOWED_TAGS = {
    "SOAP", "USCE", "ERAS", "IMG challenges", "specialty choice", "personal statement", "letters",
}  # fmt: skip
EXPECTED_SLUGS = {
    "soap-for-imgs",
    "situational-awareness-usce",
    "strong-eras-application-img",
    "img-challenges-us-residency",
    "choosing-specialty-through-rotations",
    "personal-statement-tips-img",
    "asking-for-letters-of-recommendation",
}
ARTICLES = read_articles()


def test_the_seven_articles_are_there_and_readme_is_skipped() -> None:
    assert {a.slug for a in ARTICLES} == EXPECTED_SLUGS


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_article_follows_the_content_rules(article: object) -> None:
    from matchway.guides.loader import ArticleSource

    assert isinstance(article, ArticleSource)
    assert set(article.tags) <= ALLOWED_TAGS
    assert article.tags
    assert len(article.summary) <= 300
    assert 800 <= count_words(article.body) <= 1500
    assert not any(line.startswith("# ") for line in article.body.splitlines())
    assert "- [ ] " in article.body
    assert "## Sources" in article.body
    for match in PLACEHOLDER.finditer(article.body):
        eras_fact(match.group(1))  # raises UnknownFact for a typo
    rendered = render_markdown(article.body)
    assert rendered.unknown == []
    assert rendered.toc


def test_internal_links_point_at_existing_guides() -> None:
    import re

    for article in ARTICLES:
        for slug in re.findall(r"\]\(/guides/([a-z0-9-]+)/\)", article.body):
            assert slug in EXPECTED_SLUGS, (article.slug, slug)


def test_front_matter_parser() -> None:
    meta, body = split_front_matter("---\ntitle: A: B\ntags: x, y\n# comment\n---\n\nBody\n")
    assert meta == {"title": "A: B", "tags": "x, y"}
    assert body == "Body\n"


@pytest.mark.parametrize(
    "text",
    ["no front matter", "---\ntitle: x\n", "---\nnot a pair\n---\nbody"],
)
def test_front_matter_errors(text: str) -> None:
    with pytest.raises(ContentError):
        split_front_matter(text)


def test_parse_article_checks_slug_and_dates(tmp_path: Path) -> None:
    good = "---\ntitle: T\nslug: a\nsummary: S\ntags: SOAP\npublished: 2026-01-02\n---\nBody\n"
    article = parse_article(good, tmp_path / "a.md")
    assert article.updated == article.published == dt.date(2026, 1, 2)
    with pytest.raises(ContentError, match="slug"):
        parse_article(good, tmp_path / "b.md")
    with pytest.raises(ContentError, match="dates"):
        parse_article(good.replace("2026-01-02", "Jan 2"), tmp_path / "a.md")
    with pytest.raises(ContentError, match="missing"):
        parse_article(good.replace("summary: S\n", ""), tmp_path / "a.md")
