"""Load reference data files into the database. Idempotent: upserts by natural key."""

from __future__ import annotations

import csv
from pathlib import Path

from matchway.core.discovery import reference_data_loaders

from .models import Competency, MatchOutcome, Specialty, State

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_specialties() -> int:
    rows = _rows("specialties.csv")
    profiles = {row["code"].strip(): row for row in _rows("specialty_profiles.csv")}
    for row in rows:
        profile = profiles.get(row["code"].strip(), {})
        years = (profile.get("training_years") or "").strip()
        Specialty.objects.update_or_create(
            code=row["code"].strip(),
            defaults={
                "description": (profile.get("description") or "").strip(),
                "signal_key": (profile.get("signal_key") or "").strip(),
                "training_years": int(years) if years else None,
                "training_source": (profile.get("training_source") or "").strip(),
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


# NRMP splits some rows; the label is the specialty's name plus one of these.
OUTCOME_SCOPES = (" - PGY-1 positions", " - PGY-2 positions", " (incl. combined programs)")
COUNT_FIELDS = (
    "positions_offered",
    "filled_total",
    "filled_us_md",
    "filled_us_do",
    "filled_us_img",
    "filled_non_us_img",
    "unfilled",
)


def _count(value: str | None) -> int | None:
    value = (value or "").strip().replace(",", "")
    return int(value) if value else None  # blank = not found, never zero


def _outcome_specialty(label: str, by_name: dict[str, Specialty]) -> tuple[Specialty | None, str]:
    if label in by_name:
        return by_name[label], ""
    for suffix in OUTCOME_SCOPES:
        if label.endswith(suffix) and label[: -len(suffix)] in by_name:
            return by_name[label[: -len(suffix)]], suffix.strip(" -()")
    return None, ""


def load_match_outcomes() -> int:
    """match_outcomes.csv → MatchOutcome, upserted by (year, label); rows gone from the file
    are deleted. Labels name a specialty as specialties.csv does (plus NRMP's split)."""
    rows = _rows("match_outcomes.csv")
    by_name = {s.name: s for s in Specialty.objects.all()}
    kept: list[int] = []
    for row in rows:
        label = row["specialty"].strip()
        specialty, scope = _outcome_specialty(label, by_name)
        outcome, _created = MatchOutcome.objects.update_or_create(
            year=int(row["year"]),
            label=label,
            defaults={
                "specialty": specialty,
                "scope": scope,
                "source_label": row["source_label"].strip(),
                "source_url": row["source_url"].strip(),
                **{name: _count(row.get(name)) for name in COUNT_FIELDS},
            },
        )
        kept.append(outcome.pk)
    MatchOutcome.objects.exclude(pk__in=kept).delete()
    return len(rows)


def load_all() -> dict[str, int]:
    """Reference's own tables, then every app's `reference_data.load(DATA_DIR)` (found by
    `core.discovery`, e.g. documents loads its document types from `document_types.csv`)."""
    counts = {
        "specialties": load_specialties(),
        "states": load_states(),
        "competencies": load_competencies(),
        "match outcomes": load_match_outcomes(),
    }
    for load in reference_data_loaders():
        counts.update(load(DATA_DIR))
    return counts
