"""Guide search: ranking, excerpts with highlights, and "did you mean". Pure Python.

No Django imports: the view and the API hand in `SearchDocument`s and get ranked hits back,
so the rules are unit-tested without a database.

Ranking is tiered so that a title match always beats a tag match, which beats a summary
match, which beats any number of body matches:

    score = 1000·title_terms + 100·tag_terms + 10·summary_terms + min(body_hits, 9)

With at most MAX_TERMS (8) query terms each lower tier stays below one step of the next.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache

MAX_TERMS = 8
MAX_QUERY_CHARS = 200
TITLE_WEIGHT, TAG_WEIGHT, SUMMARY_WEIGHT, BODY_CAP = 1000, 100, 10, 9
PREFIX_MIN = 3
SUGGEST_CUTOFF = 0.75
EXCERPT_CHARS = 220
ELLIPSIS = "[…]"

STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in is it me my of on or our "
    "the their this to what when where which who why with you your".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def fold(word: str) -> str:
    """Lower-case and strip accents: "Résumé" → "resume"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A tiny English plural stemmer, applied to both sides of every comparison."""
    word = fold(word).replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def query_terms(query: str) -> list[str]:
    """Distinct stemmed terms; stop words are dropped unless the query is only stop words."""
    raw = [fold(w) for w in words(query[:MAX_QUERY_CHARS])]
    kept = [w for w in raw if w not in STOPWORDS] or raw
    return list(dict.fromkeys(stem(w) for w in kept))[:MAX_TERMS]


def term_matches(term: str, word_stem: str) -> bool:
    if word_stem == term:
        return True
    # Prefix matching makes search-as-you-type work ("recomm" finds "recommendation").
    return len(term) >= PREFIX_MIN and word_stem.startswith(term)


@dataclass(frozen=True)
class SearchDocument:
    key: str
    title: str
    summary: str
    body: str
    tags: tuple[str, ...] = ()
    published_at: datetime | None = None

    @cached_property
    def title_stems(self) -> frozenset[str]:
        return frozenset(stem(w) for w in words(self.title))

    @cached_property
    def tag_stems(self) -> frozenset[str]:
        return frozenset(stem(w) for tag in self.tags for w in words(tag))

    @cached_property
    def summary_stems(self) -> frozenset[str]:
        return frozenset(stem(w) for w in words(self.summary))

    @cached_property
    def body_stems(self) -> tuple[str, ...]:
        return tuple(stem(w) for w in words(self.body))


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    score: int
    title_html: str
    excerpt_html: str


@dataclass(frozen=True)
class SearchResult:
    query: str
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    suggestion: str | None = None


def _count_in(terms: Sequence[str], stems: Iterable[str]) -> int:
    pool = list(stems)
    return sum(1 for term in terms if any(term_matches(term, s) for s in pool))


def score_document(doc: SearchDocument, terms: Sequence[str]) -> int:
    if not terms:
        return 0
    title = _count_in(terms, doc.title_stems)
    tags = _count_in(terms, doc.tag_stems)
    summary = _count_in(terms, doc.summary_stems)
    body = sum(1 for s in doc.body_stems for term in terms if term_matches(term, s))
    return TITLE_WEIGHT * title + TAG_WEIGHT * tags + SUMMARY_WEIGHT * summary + min(body, BODY_CAP)


def highlight(text: str, terms: Sequence[str]) -> str:
    """HTML-escape `text` and wrap every matching word in <mark>. Returns safe HTML."""
    out: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        out.append(html.escape(text[position : match.start()]))
        word = match.group(0)
        if terms and any(term_matches(term, stem(word)) for term in terms):
            out.append(f"<mark>{html.escape(word)}</mark>")
        else:
            out.append(html.escape(word))
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def _cut(text: str, start: int, length: int) -> tuple[str, bool, bool]:
    """A window of whole words; tells whether text was cut before and after it."""
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    end = start + length
    if end >= len(text):
        return text[start:], start > 0, False
    space = text.rfind(" ", start, end)
    end = space if space > start else end
    return text[start:end].rstrip(" ,;:—–-"), start > 0, True


def excerpt(text: str, terms: Sequence[str], length: int = EXCERPT_CHARS) -> str:
    """Escaped, highlighted window around the first match, ending in "[…]" when cut."""
    first = None
    for match in _WORD.finditer(text):
        if terms and any(term_matches(term, stem(match.group(0))) for term in terms):
            first = match.start()
            break
    start = max(0, (first or 0) - length // 3)
    window, cut_before, cut_after = _cut(text, start, length)
    parts = [ELLIPSIS] if cut_before else []
    parts.append(highlight(window, terms))
    if cut_after:
        parts.append(ELLIPSIS)
    return " ".join(parts)


def summary_excerpt(summary: str, length: int = 200) -> str:
    """The list-page excerpt: the summary cut at a word boundary, always ending in "[…]"."""
    window, _before, _after = _cut(summary.strip(), 0, length)
    return f"{window.rstrip('.…')} {ELLIPSIS}"


def build_vocabulary(documents: Iterable[SearchDocument]) -> tuple[list[str], frozenset[str]]:
    """(words to suggest from: titles, tags, summaries; every known stem incl. bodies)."""
    suggestible: dict[str, None] = {}
    known: set[str] = set()
    for doc in documents:
        for text in (doc.title, doc.summary, *doc.tags):
            for word in words(text):
                folded = fold(word)
                if len(folded) >= PREFIX_MIN and folded not in STOPWORDS:
                    suggestible.setdefault(folded, None)
                known.add(stem(word))
        known.update(doc.body_stems)
    return list(suggestible), frozenset(known)


def _is_known(term: str, known_sorted: list[str]) -> bool:
    """Exact or prefix match against the sorted known stems, in O(log n)."""
    index = bisect_left(known_sorted, term)
    if index == len(known_sorted):
        return False
    return term_matches(term, known_sorted[index])


def suggest(query: str, documents: Sequence[SearchDocument]) -> str | None:
    """A corrected query when some word is unknown and a close vocabulary word exists."""
    vocabulary, known = build_vocabulary(documents)
    known_sorted = sorted(known)
    changed = False
    corrected: list[str] = []
    for word in words(query[:MAX_QUERY_CHARS]):
        folded = fold(word)
        term = stem(folded)
        if folded in STOPWORDS or _is_known(term, known_sorted):
            corrected.append(folded)
            continue
        close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=SUGGEST_CUTOFF)
        if close:
            corrected.append(close[0])
            changed = True
        else:
            corrected.append(folded)
    return " ".join(corrected) if changed else None


def _excerpt_source(doc: SearchDocument, terms: Sequence[str]) -> str:
    """Show where it matched: the summary if it does, else the body, else the summary."""
    if _count_in(terms, doc.summary_stems) or not _count_in(terms, doc.body_stems):
        return doc.summary
    return doc.body


def _newest_key(doc: SearchDocument) -> float:
    return -(doc.published_at.timestamp() if doc.published_at else 0.0)


def search(query: str, documents: Sequence[SearchDocument]) -> SearchResult:
    """Rank documents for `query`, best first (ties: newest first)."""
    terms = query_terms(query)
    scored = [(score_document(doc, terms), doc) for doc in documents] if terms else []
    ranked = sorted(
        ((s, d) for s, d in scored if s > 0),
        key=lambda pair: (-pair[0], _newest_key(pair[1])),
    )
    hits = [
        Hit(
            document=doc,
            score=score,
            title_html=highlight(doc.title, terms),
            excerpt_html=excerpt(_excerpt_source(doc, terms), terms),
        )
        for score, doc in ranked
    ]
    return SearchResult(
        query=query, terms=terms, hits=hits, suggestion=suggest(query, documents) if terms else None
    )
