"""Season facts by dotted path into `data/eras_limits.json` — never hard-coded numbers.

`eras_fact("experiences.description_max_chars").value` -> 750 for the data's season.
If the data file ever carries several seasons (`{"seasons": {"2027": {...}}}`),
MATCHWAY_SEASON picks one (default: the newest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

DATA_FILE = Path(__file__).resolve().parent / "data" / "eras_limits.json"


@dataclass(frozen=True)
class Fact:
    path: str
    value: Any
    season: str
    source: str
    status: str


class UnknownFact(KeyError):
    pass


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def eras_data(data_file: Path | None = None) -> dict[str, Any]:
    file = data_file or DATA_FILE
    data = _load(str(file), file.stat().st_mtime)
    seasons = data.get("seasons")
    if isinstance(seasons, dict) and seasons:
        wanted = getattr(settings, "MATCHWAY_SEASON", None) or max(seasons)
        selected: dict[str, Any] = seasons[wanted]
        return selected
    return data


def eras_fact(path: str, *, data_file: Path | None = None) -> Fact:
    """The fact at `path`. A path may continue into a fact whose value is a mapping
    (`residencycas_fees_usd.programs_1_to_18_flat`): the part keeps the season, source
    and status of the fact it belongs to."""
    node: Any = eras_data(data_file)
    owner: dict[str, Any] | None = None
    for part in path.split("."):
        if part.startswith("_"):
            raise UnknownFact(path)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif (
            isinstance(node, dict)
            and "value" in node
            and isinstance(node["value"], dict)
            and part in node["value"]
        ):
            owner = owner if owner is not None else node
            node = {"value": node["value"][part]}
        else:
            raise UnknownFact(path)
    if not isinstance(node, dict) or "value" not in node:
        raise UnknownFact(path)
    meta = owner if owner is not None else node
    return Fact(
        path=path,
        value=node["value"],
        season=str(meta.get("season", "")),
        source=str(meta.get("source", "")),
        status=str(meta.get("status", "")),
    )
