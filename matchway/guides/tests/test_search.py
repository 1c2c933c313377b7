"""Library tests for guides/search.py: no database."""

from __future__ import annotations

import datetime as dt

from matchway.guides.search import (
    ELLIPSIS,
    SearchDocument,
    excerpt,
    highlight,
    query_terms,
    search,
    stem,
    suggest,
    summary_excerpt,
)

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def doc(key: str, title: str = "", summary: str = "", body: str = "", tags: tuple[str, ...] = (),
        days_old: int = 0) -> SearchDocument:  # fmt: skip
    return SearchDocument(
        key=key,
        title=title or f"Unrelated title {key}",
        summary=summary or "Nothing to see.",
        body=body or "Plain words only.",
        tags=tags,
        published_at=NOW - dt.timedelta(days=days_old),
    )


def test_title_beats_summary_beats_body() -> None:
    docs = [
        doc("body", body="Letters matter. letters letters letters letters letters letters."),
        doc("summary", summary="All about letters."),
        doc("title", title="Letters of recommendation"),
        doc("none"),
    ]
    result = search("letters", docs)
    assert [h.document.key for h in result.hits] == ["title", "summary", "body"]
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_many_body_hits_never_outrank_one_summary_hit() -> None:
    docs = [
        doc("body", body=" ".join(["soap"] * 500)),
        doc("summary", summary="One mention of SOAP."),
    ]
    assert [h.document.key for h in search("soap", docs).hits] == ["summary", "body"]


def test_tags_rank_between_title_and_summary() -> None:
    docs = [
        doc("summary", summary="USCE explained."),
        doc("tag", tags=("USCE",)),
        doc("title", title="Your first USCE"),
    ]
    assert [h.document.key for h in search("usce", docs).hits] == ["title", "tag", "summary"]


def test_more_title_terms_rank_higher_and_ties_go_to_the_newest() -> None:
    docs = [
        doc("one", title="Personal matters", days_old=1),
        doc("both", title="Personal statement tips", days_old=30),
        doc("one-newer", title="Personal growth", days_old=0),
    ]
    assert [h.document.key for h in search("personal statement", docs).hits] == [
        "both",
        "one-newer",
        "one",
    ]


def test_plurals_accents_and_prefixes_match() -> None:
    assert stem("Letters") == stem("letter")
    assert stem("specialties") == "specialty"
    assert stem("IMGs") == "img"
    docs = [doc("a", title="Résumé and recommendation letters")]
    assert search("resume", docs).hits
    assert search("recomm", docs).hits
    assert search("letter", docs).hits


def test_stop_words_are_ignored_unless_alone() -> None:
    assert query_terms("how to ask for a letter") == ["ask", "letter"]
    assert query_terms("how to") == ["how", "to"]
    assert query_terms("   ") == []


def test_empty_query_has_no_hits_and_no_suggestion() -> None:
    result = search("", [doc("a")])
    assert result.hits == []
    assert result.suggestion is None


def test_highlight_escapes_and_marks() -> None:
    html = highlight("<b>Letters</b> & letter-writing", ["letter"])
    assert html == "&lt;b&gt;<mark>Letters</mark>&lt;/b&gt; &amp; <mark>letter</mark>-writing"


def test_query_cannot_inject_markup() -> None:
    docs = [doc("a", title="Letters <script>")]
    result = search("<script>alert(1)</script> letters", docs)
    assert "<script>" not in result.hits[0].title_html
    assert result.hits[0].title_html == "<mark>Letters</mark> &lt;<mark>script</mark>&gt;"


def test_excerpt_windows_around_the_first_match() -> None:
    text = " ".join(["filler"] * 80) + " the waiver protects you " + " ".join(["tail"] * 80)
    html = excerpt(text, ["waiver"])
    assert html.startswith(ELLIPSIS)
    assert html.endswith(ELLIPSIS)
    assert "<mark>waiver</mark>" in html
    assert len(html) < 320


def test_excerpt_of_a_short_text_is_not_cut() -> None:
    assert excerpt("Short and sweet.", ["sweet"]) == "Short and <mark>sweet</mark>."


def test_search_hit_excerpt_comes_from_where_it_matched() -> None:
    docs = [doc("a", summary="About rotations.", body="The waiver is explained here.")]
    hit = search("waiver", docs).hits[0]
    assert "<mark>waiver</mark>" in hit.excerpt_html


def test_summary_excerpt_always_ends_with_the_marker() -> None:
    assert summary_excerpt("Short summary.") == f"Short summary {ELLIPSIS}"
    long = "word " * 100
    cut = summary_excerpt(long, length=50)
    assert cut.endswith(f" {ELLIPSIS}")
    assert len(cut) <= 56


def test_typos_get_a_suggestion() -> None:
    docs = [
        doc("sa", title="Situational awareness during US clinical experience"),
        doc("lor", title="How to ask for a letter of recommendation"),
        doc("soap", title="How SOAP works", tags=("SOAP",)),
    ]
    assert suggest("situational awarness", docs) == "situational awareness"
    assert suggest("letter of recomendation", docs) == "letter of recommendation"
    assert suggest("sopa", docs) == "soap"
    assert suggest("awareness", docs) is None
    assert suggest("qwertyuiop", docs) is None


def test_no_results_still_suggest() -> None:
    docs = [doc("soap", title="How SOAP works for IMGs")]
    result = search("sopa", docs)
    assert result.hits == []
    assert result.suggestion == "soap"
    assert search(result.suggestion, docs).hits
