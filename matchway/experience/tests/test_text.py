"""The shared sentence and PHI helpers: pure functions, no database."""

from __future__ import annotations

import pytest

from matchway.experience.text import (
    first_sentence,
    phi_free_items,
    phi_free_sentences,
    sentence_spans,
    sentences,
    strings,
    unique,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        ("Saw Mr. Jones and Dr. Lee. Then rounds.", ["Saw Mr. Jones and Dr. Lee.", "Then rounds."]),
        ("Use e.g. this drug.\nNext line", ["Use e.g. this drug.", "Next line"]),
        ("  spaced  \n\n  out  ", ["spaced", "out"]),
        ("3.5 mg given. Done", ["3.5 mg given.", "Done"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected
    assert [text[s:e].strip() for s, e in sentence_spans(text)] == expected


def test_first_sentence_ends_with_punctuation() -> None:
    assert first_sentence("Daily weights guide diuresis. More.") == "Daily weights guide diuresis."
    assert first_sentence("No full stop") == "No full stop."
    assert first_sentence("   ") == ""


def test_phi_free_sentences_drops_and_counts_sentences_with_findings() -> None:
    dropped = [0]
    kept = phi_free_sentences(
        ["Daily weights guide diuresis. Mr. Jones in bed 4 was admitted on 03/04/2026."],
        dropped,
    )
    assert kept == ["Daily weights guide diuresis."]
    assert dropped == [1]


def test_phi_free_sentences_reads_nested_values_and_applies_limits() -> None:
    dropped = [0]
    value = {"a": "Short. A sentence long enough to keep.", "b": ["- bullet point text here -"]}
    kept = phi_free_sentences(value, dropped, min_chars=12, max_chars=20)
    assert kept == ["A sentence long enou", "bullet point text he"]
    assert dropped == [0]


def test_phi_free_items_cleans_and_filters() -> None:
    dropped = [0]
    items = ["  ECG   interpretation ", "", "Call 212-555-0100", "* ultrasound"]
    assert phi_free_items(items, dropped) == ["ECG interpretation", "ultrasound"]
    assert dropped == [1]


def test_unique_keeps_first_of_each_and_stops_at_the_limit() -> None:
    assert unique(["A", "a", "B", "C"], 2) == ["A", "B"]
    items = [{"text": "X"}, {"text": "x"}, {"text": "y"}]
    assert unique(items, 5, key=lambda d: d["text"].casefold()) == [{"text": "X"}, {"text": "y"}]


def test_strings_flattens_json_like_values() -> None:
    assert strings({"a": "1", "b": ["2", {"c": "3"}], "d": 4}) == ["1", "2", "3"]
