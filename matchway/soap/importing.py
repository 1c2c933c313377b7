"""Reading a pasted or uploaded copy of the List of Unfilled Programs: pure Python.

Columns (docs/dev/soap.md), in this order when there is no header row:

    program_code, name, specialty, position_type, state, unfilled_positions,
    soap_participating[, application_service]

With a header row the columns may come in any order, and an extra `acgme_id` column is read
too. Cells are separated by commas (CSV) or tabs (a table copied from a web page). Each bad
row gets its own message; good rows are returned even when others fail.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

COLUMNS = (
    "program_code",
    "name",
    "specialty",
    "position_type",
    "state",
    "unfilled_positions",
    "soap_participating",
    "application_service",
)
REQUIRED = COLUMNS[:7]
OPTIONAL = ("application_service", "acgme_id")
MAX_ROWS = 5000
MAX_CHARS = 2_000_000

# 9-11 characters: institution (4 digits), ACGME specialty (3 digits), position letter, track.
PROGRAM_CODE = re.compile(r"^\d{7}[A-Z]\d{1,3}$")
ACGME_ID = re.compile(r"^\d{10}$")
STATE = re.compile(r"^[A-Z]{2}$")
POSITION_WORDS = {
    "c": "C",
    "categorical": "C",
    "m": "M",
    "primary care": "M",
    "primary_care": "M",
    "p": "P",
    "preliminary": "P",
    "transitional": "P",
    "a": "A",
    "advanced": "A",
    "r": "R",
    "reserved": "R",
    "physician": "R",
}
YES = {"yes", "y", "true", "1", "participating"}
NO = {"no", "n", "false", "0", "not participating", "non-participating"}
SERVICES = {"eras": "eras", "": "eras", "residencycas": "residencycas", "other": "other"}


@dataclass(frozen=True)
class Row:
    program_code: str
    name: str
    specialty: str
    position_type: str
    state: str
    unfilled_positions: int
    soap_participating: bool
    application_service: str
    acgme_id: str = ""


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def parse(text: str) -> Parsed:
    """Every row of `text`, each either a `Row` or an error on its line number (1-based,
    counting the header row when there is one)."""
    result = Parsed()
    if len(text) > MAX_CHARS:
        result.errors.append((0, "The list is too long to import at once (2 MB at most)."))
        return result
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((line for line in lines if line.strip()), "")
    delimiter = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header: list[str] | None = None
    seen: set[str] = set()
    count = 0
    for number, cells in enumerate(reader, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if header is None and count == 0 and cells[0].lower().replace(" ", "_") == "program_code":
            header = [c.lower().replace(" ", "_") for c in cells]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                result.errors.append(
                    (number, "The header row lacks these columns: " + ", ".join(missing) + ".")
                )
                return result
            continue
        count += 1
        if count > MAX_ROWS:
            result.errors.append((number, f"Only the first {MAX_ROWS} rows are imported."))
            break
        if header is not None:
            values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        else:
            if len(cells) < len(REQUIRED):
                result.errors.append(
                    (number, f"Expected at least {len(REQUIRED)} columns, found {len(cells)}.")
                )
                continue
            values = dict(zip(COLUMNS, cells, strict=False))
        row, message = _row(values)
        if row is None:
            result.errors.append((number, message))
        elif row.program_code in seen:
            result.errors.append(
                (number, f"Program code {row.program_code} appears twice; kept the first row.")
            )
        else:
            seen.add(row.program_code)
            result.rows.append(row)
    return result


def _row(values: dict[str, str]) -> tuple[Row | None, str]:
    problems: list[str] = []
    code = values.get("program_code", "").upper()
    if not PROGRAM_CODE.match(code):
        problems.append(
            "program code must be 7 digits, a capital letter and 1-3 digits (e.g. 1000140C0)"
        )
    name = values.get("name", "")
    if not name or len(name) > 200:
        problems.append("program name is required (200 characters at most)")
    specialty = values.get("specialty", "")
    if not specialty or len(specialty) > 120:
        problems.append("specialty is required (120 characters at most)")
    position = POSITION_WORDS.get(values.get("position_type", "").strip().lower())
    if position is None:
        problems.append("position type must be C, M, P, A or R (or the word)")
    elif PROGRAM_CODE.match(code) and code[7] != position:
        problems.append(f"position type {position} does not match the code's letter {code[7]}")
    state = values.get("state", "").upper()
    if not STATE.match(state):
        problems.append("state must be a two-letter code")
    raw_unfilled = values.get("unfilled_positions", "")
    unfilled = int(raw_unfilled) if raw_unfilled.isdigit() and len(raw_unfilled) <= 3 else None
    if unfilled is None:
        problems.append("unfilled positions must be a whole number (0-999)")
    participating_raw = values.get("soap_participating", "").lower()
    participating = True if participating_raw in YES else False if participating_raw in NO else None
    if participating is None:
        problems.append("SOAP participation must be yes or no")
    service = SERVICES.get(values.get("application_service", "").strip().lower())
    if service is None:
        problems.append("application service must be ERAS, ResidencyCAS or other")
    acgme = values.get("acgme_id", "")
    if acgme and not ACGME_ID.match(acgme):
        problems.append("ACGME ID must be 10 digits")
    if problems or position is None or unfilled is None or participating is None or not service:
        message = "; ".join(problems)
        return None, message[:1].upper() + message[1:] + "."
    return (
        Row(
            program_code=code,
            name=name,
            specialty=specialty,
            position_type=position,
            state=state,
            unfilled_positions=unfilled,
            soap_participating=participating,
            application_service=service,
            acgme_id=acgme,
        ),
        "",
    )
