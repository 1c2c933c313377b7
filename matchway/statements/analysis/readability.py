"""Readability scores, long sentences and passive voice.

textstat is used only for functions that work offline. Its Flesch formulas count
syllables with NLTK's cmudict, which textstat downloads on first use (and results would
differ between machines that have or lack that corpus), so the Flesch scores are
computed here from textstat's word and sentence counts and a local syllable heuristic.
Coleman-Liau and ARI need no syllables and come straight from textstat.
"""

from __future__ import annotations

import re
from functools import lru_cache

import textstat

from .text import WORD_RE, Sentence, word_set
from .types import INFO, WARNING, Finding

LONG_SENTENCE_WORDS = 35

_SILENT_END_RE = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
_VOWEL_GROUP_RE = re.compile(r"[aeiouy]{1,2}")

# Irregular past participles that commonly follow a be-verb in passive clauses.
_IRREGULAR_PARTICIPLES = (
    "born bought brought built caught chosen done drawn driven eaten fallen felt fought found "
    "forgotten given gone grown heard held hidden hurt kept known laid led left lost made meant "
    "met paid put read run said seen sent set shown shut sought spent spoken stolen struck "
    "taken taught thought thrown told torn understood won worn written"
)
# Participles that act as adjectives after "be" ("I am interested in", "was born in"):
# flagging them would bury the useful findings in noise.
_ADJECTIVAL = word_set(
    "indeed interested excited dedicated committed determined motivated pleased delighted "
    "thrilled concerned experienced skilled qualified prepared married tired worried "
    "convinced based located supposed used talented gifted devoted focused involved engaged "
    "fascinated amazed surprised humbled honored honoured privileged blessed exhausted "
    "overwhelmed frustrated satisfied confused scared frightened embarrassed ashamed bored "
    "inspired intrigued drawn born need feed seed shed bred"
)
_PASSIVE_RE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+"
    r"(?:(?:not|also|then|often|always|never|usually|[a-z]+ly)\s+){0,2}"
    rf"(?P<participle>[a-z]{{2,}}ed|{'|'.join(_IRREGULAR_PARTICIPLES.split())})\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    """Vowel-group estimate; good to about one syllable on long words, enough for Flesch."""
    w = word.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return 1
    w = _SILENT_END_RE.sub("", w)
    w = w[1:] if w.startswith("y") else w
    return max(1, len(_VOWEL_GROUP_RE.findall(w)))


def passive_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _PASSIVE_RE.finditer(text):
        if m.group("participle").lower() not in _ADJECTIVAL:
            spans.append((m.start(), m.end()))
    return spans


def passive_findings(text: str, spans: list[tuple[int, int]]) -> list[Finding]:
    return [
        Finding(
            "passive_voice",
            INFO,
            start,
            end,
            f"Passive voice ('{text[start:end]}') hides who did the action.",
            "Name the actor, usually you: 'I presented the case' rather than "
            "'the case was presented'.",
        )
        for start, end in spans
    ]


def long_sentence_findings(sents: list[Sentence]) -> list[Finding]:
    return [
        Finding(
            "long_sentence",
            WARNING,
            s.start,
            s.end,
            f"This sentence has {len(s.words)} words; readers lose the thread after about "
            f"{LONG_SENTENCE_WORDS}.",
            "Split it in two at the 'and'/'which'/'while', and keep one idea per sentence.",
        )
        for s in sents
        if len(s.words) > LONG_SENTENCE_WORDS
    ]


def _grade_band(grade: float) -> str:
    if grade < 8:
        return "very easy; make sure it still sounds like a physician wrote it"
    if grade < 12:
        return "clear and easy to follow, which is what programs like"
    if grade < 16:
        return "college level; fine for a statement, but keep an eye on long sentences"
    return "dense; readers have to work to follow it, so shorten sentences and use plain words"


def readability(
    text: str, sents: list[Sentence], passive_sentence_count: int
) -> dict[str, float | str]:
    """Scores plus a plain-words explanation; ``text`` is the ASCII analysis view."""
    words = textstat.lexicon_count(text) if text.strip() else 0
    sentence_total = textstat.sentence_count(text) if words else 0
    if not words or not sentence_total:
        return {
            "flesch_reading_ease": 0.0,
            "flesch_kincaid_grade": 0.0,
            "coleman_liau_index": 0.0,
            "automated_readability_index": 0.0,
            "avg_sentence_words": 0.0,
            "passive_rate": 0.0,
            "explanation": "There is no text to score yet.",
        }
    syllable_total = sum(syllables(m.group()) for m in WORD_RE.finditer(text))
    words_per_sentence = words / sentence_total
    syllables_per_word = syllable_total / words
    # Standard Flesch (1948) and Flesch-Kincaid (1975) coefficients.
    ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
    grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    passive_rate = passive_sentence_count / len(sents) if sents else 0.0
    explanation = (
        f"Reads at about US school grade {max(grade, 0):.0f} (reading ease {ease:.0f} of 100): "
        f"{_grade_band(grade)}. Sentences average {words_per_sentence:.0f} words."
    )
    if passive_rate > 0.2:
        explanation += (
            f" About {passive_rate:.0%} of sentences are passive; active sentences show "
            "what you did."
        )
    return {
        "flesch_reading_ease": round(ease, 1),
        "flesch_kincaid_grade": round(grade, 1),
        "coleman_liau_index": round(float(textstat.coleman_liau_index(text)), 1),
        "automated_readability_index": round(float(textstat.automated_readability_index(text)), 1),
        "avg_sentence_words": round(words_per_sentence, 1),
        "passive_rate": round(passive_rate, 3),
        "explanation": explanation,
    }
