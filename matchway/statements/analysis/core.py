"""``analyze``: run every check over one statement and collect the findings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import cliches, img, plaintext, privacy, readability, specialties, spelling, style
from .text import count_words, paragraphs, sentences
from .types import AnalysisResult, Finding


def _ignore_words(*names: str | None) -> frozenset[str]:
    """Lower-case words of the specialty and program names the caller gave us."""
    words: set[str] = set()
    for name in names:
        if name:
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", name))
    return frozenset(words)


def analyze(
    text: str,
    *,
    max_chars: int,
    specialty_name: str | None = None,
    specialty_aliases: Sequence[str] = (),
    graduation_year: int | None = None,
    current_year: int,
    program_label: str | None = None,
    known_program_names: Sequence[str] = (),
) -> AnalysisResult:
    """Analyse a personal statement; deterministic, offline, no database.

    ``max_chars`` is the season's ERAS limit (pass it from the limits data, never a
    constant). ``specialty_name``/``specialty_aliases`` describe the target specialty;
    ``program_label`` is set only for a statement written for one program. Finding
    offsets index into ``text`` exactly as given.

    Length is measured in characters against ``max_chars``, as ERAS does. ``pages`` is
    context only: ``characters / style.CHARS_PER_PAGE_MID`` (Matchway's estimate of a
    single-spaced printed page); ``style.page_range`` gives the honest range.
    """
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")

    # Word-level checks read a same-length ASCII view, so "don't" typed with a curly
    # apostrophe is still one word and every offset they report is valid in the original.
    view = plaintext.analysis_view(text)
    paras = paragraphs(view)
    sents = sentences(view, paras)
    words = count_words(text)
    passive = readability.passive_spans(view)
    passive_sentences = sum(1 for s in sents if any(s.start <= p < s.end for p, _ in passive))
    scores = readability.readability(view, sents, passive_sentences)

    findings: list[Finding] = []
    findings += style.length_findings(text, max_chars=max_chars, words=words)
    findings += plaintext.plain_text_findings(text)
    if view.strip():
        aliases = tuple(a for a in specialty_aliases if a)
        names = _ignore_words(specialty_name, program_label, *aliases, *known_program_names)
        findings += style.paragraph_findings(view, paras)
        findings += readability.long_sentence_findings(sents)
        findings += readability.passive_findings(view, passive)
        findings += style.overused_word_findings(view, words, names)
        findings += style.repeated_opening_findings(sents)
        findings += spelling.spelling_findings(view, names)
        findings += cliches.cliche_findings(view)
        findings += specialties.specialty_findings(view, specialty_name, aliases)
        findings += img.usce_findings(view)
        findings += img.program_findings(view, sents, program_label, known_program_names)
        findings += img.graduation_gap_findings(view, graduation_year, current_year)
        # The PHI detector gets the original text: it may rely on the real characters.
        findings += privacy.phi_findings(text)

    findings.sort(key=lambda f: (f.start, f.kind, f.end))
    return AnalysisResult(
        characters=len(text),
        words=words,
        pages=style.page_estimate(len(text)),
        paragraphs=len(paras),
        readability=scores,
        findings=findings,
    )
