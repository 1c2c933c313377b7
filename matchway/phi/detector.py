"""Find HIPAA Safe Harbor identifiers in free text (pure Python, no Django).

Each rule module proposes ``Candidate`` spans; this module resolves overlaps so callers get
a sorted, non-overlapping list. Rules are plain compiled regexes, so a 28,000-character
journal entry is scanned in a few milliseconds.
"""

from __future__ import annotations

import bisect

from ._model import KINDS, Candidate, Finding
from ._scan import Scan
from .dates import age_candidates, date_candidates
from .names import name_candidates
from .patterns import structured_candidates
from .phones import phone_candidates

__all__ = ["KINDS", "Finding", "find_phi"]


def _candidates(text: str) -> list[Candidate]:
    scan = Scan(text)
    found: list[Candidate] = []
    found.extend(structured_candidates(scan))
    found.extend(phone_candidates(scan))
    found.extend(date_candidates(scan))
    found.extend(age_candidates(scan))
    found.extend(name_candidates(scan))
    return [c for c in found if c.end > c.start]


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Merge same-kind overlaps and let the stronger rule win between kinds.

    Strength is (priority, length): a labelled MRN beats the phone shape of the same digits,
    and a URL beats the IP address inside it.
    """
    merged: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.kind, c.start, -c.end)):
        last = merged[-1] if merged else None
        if last is not None and last.kind == cand.kind and cand.start < last.end:
            best = max(last, cand, key=lambda c: (c.priority, c.end - c.start))
            merged[-1] = Candidate(
                last.kind,
                last.start,
                max(last.end, cand.end),
                best.suggestion,
                max(last.priority, cand.priority),
            )
        else:
            merged.append(cand)

    # Kept spans never overlap, so sorted starts plus a look at the two neighbours of the
    # insertion point is enough; this keeps dense inputs from going quadratic.
    starts: list[int] = []
    chosen: list[Candidate] = []
    for cand in sorted(merged, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        i = bisect.bisect_left(starts, cand.start)
        if i > 0 and chosen[i - 1].end > cand.start:
            continue
        if i < len(chosen) and chosen[i].start < cand.end:
            continue
        starts.insert(i, cand.start)
        chosen.insert(i, cand)
    return chosen


def find_phi(text: str) -> list[Finding]:
    """Return identifiers in ``text``, sorted by start and never overlapping."""
    if not text:
        return []
    return [
        Finding(c.kind, c.start, c.end, text[c.start : c.end], c.suggestion)
        for c in _resolve(_candidates(text))
    ]
