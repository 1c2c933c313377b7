"""Issue #17: the composer greets the writer as a person would."""

from __future__ import annotations

import pytest

from matchway.letters.salutation import writer_salutation


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("Priya Raman", "MD, Internal Medicine", "Dr. Raman"),
        ("Dr. Priya Raman", "", "Dr. Raman"),
        ("Dr. Dr. Priya Raman", "MD", "Dr. Raman"),
        ("Priya Raman, MD", "", "Dr. Raman"),
        ("Priya Raman MD", "", "Dr. Raman"),
        ("Dr. Anna van der Berg", "", "Dr. van der Berg"),
        ("Prof. Kenji Ito", "MD, PhD", "Professor Ito"),
        ("Sam Lee", "Nurse practitioner", "Sam Lee"),
        ("Mrs. Sam Lee", "", "Sam Lee"),
        ("Dr. [name]", "", "Dr. [name]"),
    ],
)
def test_writer_salutation(name: str, title: str, expected: str) -> None:
    assert writer_salutation(name, title) == expected
