"""Length, paragraph shape, overused words and repeated sentence openings."""

from __future__ import annotations

import math
from collections import Counter

from .text import Sentence, Span, count_words, iter_words, word_set
from .types import ERROR, INFO, WARNING, Finding

# ERAS measures a statement in characters (the caller passes the season's limit); it has no
# page rule. "About one printed page" is common advice, so pages are context only.
# How many characters fit on a page is Matchway's own typographic estimate, not a sourced
# fact: a single-spaced US Letter page with 1-inch margins in an 11-12 pt font holds roughly
# 3,000 to 4,000 characters, depending on the font and the number of paragraph breaks.
# (The old "500 words per page" made a page a fixed word count; words vary in length and
# ERAS does not count them.)
CHARS_PER_PAGE_LOW = 3_000
CHARS_PER_PAGE_HIGH = 4_000
CHARS_PER_PAGE_MID = 3_500
# Warn when the middle estimate runs clearly past one page (over 3,850 characters), so a
# statement that runs a few lines over is not nagged.
ONE_PAGE_SLACK = 1.1
LONG_PARAGRAPH_WORDS = 200
# 'I' opens many sentences in any personal statement; only a long run or a majority
# reads as monotonous.
RUN_OF_SAME_OPENING = 4
OPENING_SHARE = 0.5
OPENING_SHARE_MIN_SENTENCES = 8

STOPWORDS = word_set(
    """
    a about above after again against all almost also although always am among an and any
    are aren't around as at be became because become becoming been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each either even ever every few first for from further get gets got
    had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it
    it's its itself just last let's like made make makes many may me might more most much
    must mustn't my myself need never new next no nor not now of off often on once one
    only or other others ought our ours ourselves out over own per rather really same
    see seen several shall shan't she she'd she'll she's should shouldn't since so some
    still such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those though through throughout thus
    to too toward towards two under until up upon us use used very via was wasn't way we
    we'd we'll we're we've well were weren't what what's when when's where where's
    whether which while who who's whom whose why why's will with within without won't
    would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
    also able across along already another anything because back came come could each
    get go going got just know knew let many much new next part put said say says take
    taken three time times took went year years day days
    """
)
# Words every statement legitimately repeats; flagging them helps nobody.
_EXPECTED_REPEATS = word_set("medicine medical patient patients residency clinical")


def page_estimate(characters: int) -> float:
    """Printed pages at the middle of the estimate (characters / CHARS_PER_PAGE_MID)."""
    return round(max(characters, 0) / CHARS_PER_PAGE_MID, 2)


def _half_pages(pages: float) -> float:
    return max(0.5, math.floor(pages * 2 + 0.5) / 2)  # half up, not banker's rounding


def page_range(characters: int) -> tuple[float, float]:
    """Honest printed length in half pages: (roomy layout, tight layout), e.g. (1.0, 1.5)."""
    low = _half_pages(max(characters, 0) / CHARS_PER_PAGE_HIGH)
    high = max(low, _half_pages(max(characters, 0) / CHARS_PER_PAGE_LOW))
    return low, high


def format_pages(low: float, high: float) -> str:
    """'about 1 page', 'about 1–1.5 pages' (no trailing .0)."""

    def number(value: float) -> str:
        return f"{value:g}"

    if low == high:
        return f"about {number(low)} page" + ("" if low <= 1 else "s")
    return f"about {number(low)}\u2013{number(high)} pages"


def length_findings(text: str, *, max_chars: int, words: int) -> list[Finding]:
    findings: list[Finding] = []
    n = len(text)
    if n > max_chars:
        findings.append(
            Finding(
                "over_limit",
                ERROR,
                max_chars,
                n,
                f"{n:,} characters; the limit is {max_chars:,} (spaces and punctuation count), "
                f"so ERAS will not accept it.",
                f"Cut at least {n - max_chars:,} characters. The highlighted part is what "
                "does not fit.",
            )
        )
    if n / CHARS_PER_PAGE_MID > ONE_PAGE_SLACK:
        low, high = page_range(n)
        findings.append(
            Finding(
                "too_long_pages",
                WARNING,
                0,
                0,
                f"{n:,} characters ({words:,} words), {format_pages(low, high)} when printed. "
                f"Common advice is about one page; ERAS itself only limits characters "
                f"({max_chars:,}).",
                f"Aim for one page, roughly {CHARS_PER_PAGE_LOW:,}\u2013{CHARS_PER_PAGE_HIGH:,} "
                "characters: keep one story, one reason for the specialty and one look ahead.",
            )
        )
    return findings


def paragraph_findings(text: str, paras: list[Span]) -> list[Finding]:
    findings = []
    for para in paras:
        n = count_words(text[para.start : para.end])
        if n > LONG_PARAGRAPH_WORDS:
            findings.append(
                Finding(
                    "long_paragraph",
                    WARNING if len(paras) == 1 else INFO,
                    para.start,
                    para.end,
                    f"This paragraph has {n} words; on screen it reads as a wall of text.",
                    "Break it where the topic shifts; 80 to 180 words per paragraph reads well.",
                )
            )
    return findings


def overused_word_findings(
    text: str, total_words: int, ignore: frozenset[str] = frozenset()
) -> list[Finding]:
    """Content words used far more often than a statement of this length needs."""
    threshold = max(5, math.ceil(total_words * 0.008))
    first_seen: dict[str, tuple[int, int]] = {}
    counts: Counter[str] = Counter()
    for start, end, word in iter_words(text):
        lw = word.lower()
        if len(lw) < 4 or lw in STOPWORDS or lw in _EXPECTED_REPEATS or lw in ignore:
            continue
        counts[lw] += 1
        first_seen.setdefault(lw, (start, end))
    findings = []
    for word, n in counts.items():
        if n >= threshold:
            start, end = first_seen[word]
            findings.append(
                Finding(
                    "overused_word",
                    INFO,
                    start,
                    end,
                    f"'{word}' appears {n} times.",
                    f"Keep the strongest use of '{word}'; elsewhere show it through a "
                    "specific action or pick a more exact word.",
                )
            )
    return findings


def _opening(sentence: Sentence) -> str:
    return sentence.words[0][2].lower()


def repeated_opening_findings(sents: list[Sentence]) -> list[Finding]:
    findings: list[Finding] = []
    i = 0
    while i < len(sents):
        j = i
        while j + 1 < len(sents) and _opening(sents[j + 1]) == _opening(sents[i]):
            j += 1
        run = j - i + 1
        if run >= RUN_OF_SAME_OPENING:
            # Point at the sentence where the repetition starts to grate.
            flagged = sents[i + RUN_OF_SAME_OPENING - 1].words[0]
            findings.append(
                Finding(
                    "repeated_opening",
                    WARNING,
                    flagged[0],
                    flagged[1],
                    f"{run} sentences in a row start with '{sents[i].words[0][2]}'.",
                    "Vary the openings: lead with the time, the place or the patient, or "
                    "join two sentences.",
                )
            )
        i = j + 1
    if len(sents) >= OPENING_SHARE_MIN_SENTENCES:
        word, n = Counter(_opening(s) for s in sents).most_common(1)[0]
        if n / len(sents) > OPENING_SHARE:
            word = "I" if word == "i" else word
            findings.append(
                Finding(
                    "repeated_opening",
                    INFO,
                    0,
                    0,
                    f"{n} of {len(sents)} sentences start with '{word}'.",
                    "Start some sentences with what happened or who was there rather than "
                    f"with '{word}'.",
                )
            )
    return findings
