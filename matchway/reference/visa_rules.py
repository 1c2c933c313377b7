"""Which rotations a visitor-visa invitation letter may be written for — read as data.

The rules and their sources live in `data/visa_letter_rules.json` (see SOURCES.md); this
module only evaluates them: the first rule whose `applies_to`, `kinds` and `when` match
decides. Rotation kinds are plain strings here (reference imports no domain app).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "visa_letter_rules.json"


@dataclass(frozen=True)
class VisaRuleDecision:
    code: str
    allowed: bool
    statement: str
    confirmed: bool | None  # None: a Matchway policy, not a visa rule
    source_url: str
    source_title: str


@lru_cache(maxsize=2)
def _load(path: str, mtime: float) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def visa_rules_data(data_file: Path | None = None) -> dict[str, Any]:
    file = data_file or DATA_FILE
    return _load(str(file), file.stat().st_mtime)


def _matches(rule: dict[str, Any], *, is_graduate: bool, kind: str, hands_on: bool) -> bool:
    who = rule.get("applies_to", "anyone")
    if who == "graduate" and not is_graduate:
        return False
    if who == "student" and is_graduate:
        return False
    kinds = rule.get("kinds")
    if kinds and kind not in kinds:
        return False
    when = rule.get("when")
    if when == "hands_on" and not hands_on:
        return False
    return not (when == "not_hands_on" and hands_on)


def visa_rule_decide(
    *, is_graduate: bool, kind: str, hands_on: bool, data_file: Path | None = None
) -> VisaRuleDecision:
    """The decision for an applicant (graduate or enrolled student) and a rotation. With no
    matching rule the answer is a refusal: a letter is only written where a rule allows it."""
    data = visa_rules_data(data_file)
    sources: dict[str, dict[str, Any]] = data.get("sources", {})
    for rule in data.get("rules", []):
        if not _matches(rule, is_graduate=is_graduate, kind=kind, hands_on=hands_on):
            continue
        source = sources.get(rule.get("source") or "", {})
        return VisaRuleDecision(
            code=str(rule["code"]),
            allowed=rule.get("decision") == "allow",
            statement=str(rule.get("statement", "")),
            confirmed=rule.get("confirmed"),
            source_url=str(source.get("url", "")),
            source_title=str(source.get("title", "")),
        )
    return VisaRuleDecision(
        code="no_rule",
        allowed=False,
        statement="No rule covers this rotation.",
        confirmed=None,
        source_url="",
        source_title="",
    )
