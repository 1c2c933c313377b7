"""Score the PHI detector on its labelled corpus: ``python bench/phi_metrics.py [--errors]``.

Span-level precision, recall and F1 per kind and overall. Runs without Django.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a plain script from any directory: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchway.phi import find_phi
from matchway.phi.metrics import CORPUS_PATH, format_report, load_corpus, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS_PATH)
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)

    examples = load_corpus(args.corpus)
    report = score(examples)
    with_phi = sum(1 for e in examples if e.spans)
    without = len(examples) - with_phi
    print(f"corpus: {len(examples)} sentences ({with_phi} with PHI, {without} without)")
    print(format_report(report))

    journal = " ".join(e.text for e in examples)
    journal = (journal * (28_000 // len(journal) + 1))[:28_000]
    timings: list[float] = []
    for _ in range(7):
        started = time.perf_counter()
        find_phi(journal)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"speed: {len(journal):,} characters in {statistics.median(timings):.1f} ms "
        f"(median of {len(timings)} runs, first {timings[0]:.1f} ms)"
    )

    if args.errors:
        for text, finding in report.false_positives:
            print(f"FP {finding.kind:<8} {finding.text!r:<30} in {text!r}")
        for text, gold in report.false_negatives:
            print(f"FN {gold.kind:<8} {text[gold.start : gold.end]!r:<30} in {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
