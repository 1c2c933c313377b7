"""Span-level scoring of the detector against a labelled JSONL corpus.

Shared by ``bench/phi_metrics.py`` and the test suite so both report the same numbers.
A prediction is a true positive when a gold span of the same kind overlaps it; recall
counts gold spans that some same-kind prediction overlaps.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ._model import KINDS, Finding
from .detector import find_phi

CORPUS_PATH = Path(__file__).resolve().parent / "tests" / "phi_corpus.jsonl"


@dataclass(frozen=True, slots=True)
class GoldSpan:
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    spans: tuple[GoldSpan, ...]


@dataclass(slots=True)
class Tally:
    predicted: int = 0
    true_predicted: int = 0
    gold: int = 0
    gold_found: int = 0

    @property
    def precision(self) -> float:
        return self.true_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Report:
    per_kind: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    overall: Tally = field(default_factory=Tally)
    false_positives: list[tuple[str, Finding]] = field(default_factory=list)
    false_negatives: list[tuple[str, GoldSpan]] = field(default_factory=list)


def _locate(text: str, spans: Iterable[dict[str, str]]) -> tuple[GoldSpan, ...]:
    # Gold spans are given as substrings in reading order; searching on from the previous
    # hit keeps repeated strings ("123 Main Street" twice) attached to the right place.
    located: list[GoldSpan] = []
    cursor = 0
    for span in spans:
        kind, needle = span["kind"], span["text"]
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} in corpus")
        start = text.find(needle, cursor)
        if start < 0:
            start = text.find(needle)
        if start < 0:
            raise ValueError(f"span {needle!r} not found in {text!r}")
        located.append(GoldSpan(kind, start, start + len(needle)))
        cursor = start + len(needle)
    return tuple(located)


def load_corpus(path: Path = CORPUS_PATH) -> list[Example]:
    examples: list[Example] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            examples.append(Example(record["text"], _locate(record["text"], record["spans"])))
    return examples


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score(examples: Iterable[Example], detect: Callable[[str], list[Finding]] = find_phi) -> Report:
    report = Report()
    for example in examples:
        findings = detect(example.text)
        for finding in findings:
            tally = report.per_kind[finding.kind]
            tally.predicted += 1
            hit = any(
                g.kind == finding.kind and _overlaps(g.start, g.end, finding.start, finding.end)
                for g in example.spans
            )
            tally.true_predicted += hit
            if not hit:
                report.false_positives.append((example.text, finding))
        for gold in example.spans:
            tally = report.per_kind[gold.kind]
            tally.gold += 1
            found = any(
                f.kind == gold.kind and _overlaps(gold.start, gold.end, f.start, f.end)
                for f in findings
            )
            tally.gold_found += found
            if not found:
                report.false_negatives.append((example.text, gold))
    for tally in report.per_kind.values():
        report.overall.predicted += tally.predicted
        report.overall.true_predicted += tally.true_predicted
        report.overall.gold += tally.gold
        report.overall.gold_found += tally.gold_found
    return report


def format_report(report: Report) -> str:
    rows = [f"{'kind':<9} {'gold':>5} {'pred':>5} {'precision':>9} {'recall':>7} {'f1':>6}"]
    for kind in KINDS:
        t = report.per_kind[kind]
        rows.append(
            f"{kind:<9} {t.gold:>5} {t.predicted:>5} {t.precision:>9.3f} {t.recall:>7.3f} "
            f"{t.f1:>6.3f}"
        )
    t = report.overall
    rows.append(
        f"{'overall':<9} {t.gold:>5} {t.predicted:>5} {t.precision:>9.3f} {t.recall:>7.3f} "
        f"{t.f1:>6.3f}"
    )
    return "\n".join(rows)
