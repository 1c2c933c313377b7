"""A fictitious List of Unfilled Programs for drills, demos and tests.

Every program here is invented: institution numbers start at 9900 (an obviously made-up
block), names say "Sample", and the list is marked fictitious wherever it is shown. Never
a copy of NRMP's list, which must not be shared.
"""

from __future__ import annotations

import csv
import io

HEADER = (
    "program_code,name,specialty,position_type,state,unfilled_positions,"
    "soap_participating,application_service"
)
# (specialty, ACGME specialty code, position letters)
SPECIALTIES = (
    ("Internal Medicine", "140", "CP"),
    ("Family Medicine", "120", "C"),
    ("Pediatrics", "320", "C"),
    ("Psychiatry", "400", "C"),
    ("General Surgery", "440", "CP"),
    ("Pathology", "300", "C"),
    ("Neurology", "180", "A"),
    ("Anesthesiology", "040", "A"),
    ("Transitional Year", "999", "P"),
    ("Emergency Medicine", "110", "C"),
)
STATES = ("NY", "NJ", "PA", "OH", "MI", "IL", "TX", "FL", "GA", "CA", "WA", "MA")
TOWNS = ("Riverbend", "Maple Hollow", "Clearwater Falls", "Pine Ridge", "Harbor Point", "Elm Creek")


def sample_rows(count: int = 120, *, round_: int = 0) -> list[dict[str, str]]:
    """`count` fictitious programs; later rounds drop some and shrink others, so the
    'what changed' view has something to show."""
    rows: list[dict[str, str]] = []
    i = 0
    while len(rows) < count:
        specialty, code, letters = SPECIALTIES[i % len(SPECIALTIES)]
        letter = letters[(i // len(SPECIALTIES)) % len(letters)]
        institution = 9900 + i // len(SPECIALTIES)
        town = TOWNS[i % len(TOWNS)]
        unfilled = 1 + (i * 7) % 4
        if round_ and i % (3 + round_) == 0:
            i += 1
            continue  # filled in an earlier round
        if round_:
            unfilled = max(1, unfilled - round_ % 2)
        rows.append(
            {
                "program_code": f"{institution:04d}{code}{letter}0",
                "name": f"Sample {town} {specialty} Program {i + 1}",
                "specialty": specialty,
                "position_type": letter,
                "state": STATES[i % len(STATES)],
                "unfilled_positions": str(unfilled),
                "soap_participating": "no" if i % 11 == 10 else "yes",
                "application_service": "residencycas"
                if specialty == "Emergency Medicine"
                else "eras",
            }
        )
        i += 1
    return rows


def sample_csv(count: int = 120, *, round_: int = 0) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER.split(","), lineterminator="\n")
    writer.writeheader()
    writer.writerows(sample_rows(count, round_=round_))
    return out.getvalue()
