"""Shared value types for the PHI detector (kept apart so rule modules avoid import cycles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

KINDS: tuple[str, ...] = (
    "name",
    "date",
    "age",
    "phone",
    "fax",
    "email",
    "ssn",
    "mrn",
    "account",
    "id",
    "address",
    "zip",
    "url",
    "ip",
    "device",
    "plate",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier found in a text; ``text[start:end] == finding.text``."""

    kind: str
    start: int
    end: int
    text: str
    suggestion: str


class Candidate(NamedTuple):
    """A raw rule hit before overlap resolution.

    ``priority`` ranks rules by how much context backs them: a number introduced by
    "MRN" is more trustworthy than the same digits matched by the generic phone shape.
    """

    kind: str
    start: int
    end: int
    suggestion: str
    priority: int
