"""Load reference data files into the database. Idempotent: upserts by natural key."""

from __future__ import annotations

import csv
from pathlib import Path

from matchway.core.discovery import reference_data_loaders

from .models import Competency, Specialty, State

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_specialties() -> int:
    rows = _rows("specialties.csv")
    for row in rows:
        Specialty.objects.update_or_create(
            code=row["code"].strip(),
            defaults={
                "name": row["name"].strip(),
                "category": row.get("category", "").strip(),
                "eras_participating": row.get("eras_participating", "").strip().lower() == "yes",
                "match_type": row.get("match_type", "").strip(),
                "notes": row.get("notes", "").strip(),
            },
        )
    return len(rows)


def load_states() -> int:
    rows = _rows("us_states.csv")
    for row in rows:
        State.objects.update_or_create(
            code=row["code"].strip(), defaults={"name": row["name"].strip(), "fips": row["fips"]}
        )
    return len(rows)


def load_competencies() -> int:
    rows = _rows("competencies.csv")
    for row in rows:
        Competency.objects.update_or_create(
            framework=row["framework"].strip(),
            code=row["code"].strip(),
            defaults={
                "number": int(row["number"]),
                "name": row["name"].strip(),
                "reference": row.get("reference", "").strip(),
            },
        )
    return len(rows)


def load_all() -> dict[str, int]:
    """Reference's own tables, then every app's `reference_data.load(DATA_DIR)` (found by
    `core.discovery`, e.g. documents loads its document types from `document_types.csv`)."""
    counts = {
        "specialties": load_specialties(),
        "states": load_states(),
        "competencies": load_competencies(),
    }
    for load in reference_data_loaders():
        counts.update(load(DATA_DIR))
    return counts
