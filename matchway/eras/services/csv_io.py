"""Program list CSV: import (per-row errors, re-import updates by ACGME id) and export.

Columns (docs/dev/eras.md and the import page say the same): required `acgme_id`, `name`,
`specialty` (code such as 140), `state`, `position_type`; optional `nrmp_code`, `website`,
`city`, one column per requirement kind (`step2_min`, `attempts`, `years_since_graduation`,
`usce_months`, `usce_kind`, `usce_recency`, `ecfmg_by`, `visas`, `state_rules`, `img_share`)
each with an optional `<kind>_strictness` (strict|preferred|unknown), and `source_url`,
`checked_on` (YYYY-MM-DD) for the requirements of that row. Other columns are ignored, so an
export imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.audit import audit_record
from matchway.core.exceptions import ApplicationError, ValidationFailed

from ..models import Program, RequirementKind, Strictness
from .programs import (
    ProgramInput,
    RequirementInput,
    _program_from_input,
    _require_applicant,
    _requirements_replace,
    _requirements_validate,
    program_add,
)

REQUIRED_COLUMNS = ("acgme_id", "name", "specialty", "state", "position_type")
OPTIONAL_COLUMNS = ("nrmp_code", "website", "city")
REQUIREMENT_COLUMNS = tuple(RequirementKind.values)
MAX_BYTES = 1_000_000
MAX_ROWS = 2000
MSG_ENCODING = _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
MSG_HEADER = _("The first line must name the columns; missing: %(cols)s.")
MSG_TOO_BIG = _("The file is too large (at most 1 MB and 2,000 rows).")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _messages(exc: ApplicationError) -> str:
    if isinstance(exc, ValidationFailed) and exc.errors:
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.errors.items())
    return exc.message


def _row_input(row: dict[str, str], has_requirements: bool) -> ProgramInput:
    checked_on: dt.date | None = None
    raw_date = (row.get("checked_on") or "").strip()
    if raw_date:
        try:
            checked_on = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise ValidationFailed(
                errors={"checked_on": [str(_("Use the form YYYY-MM-DD."))]}
            ) from None
    requirements = []
    if has_requirements:
        for kind in REQUIREMENT_COLUMNS:
            value = (row.get(kind) or "").strip()
            if not value:
                continue
            strictness = (row.get(f"{kind}_strictness") or "").strip().lower() or "unknown"
            if strictness not in Strictness.values:
                raise ValidationFailed(
                    errors={f"{kind}_strictness": [str(_("Use strict, preferred or unknown."))]}
                )
            requirements.append(
                RequirementInput(
                    kind=kind,
                    value=value,
                    strictness=strictness,
                    source_url=(row.get("source_url") or "").strip(),
                    checked_on=checked_on,
                )
            )
    return ProgramInput(
        acgme_id=row.get("acgme_id") or "",
        name=row.get("name") or "",
        specialty=row.get("specialty") or "",
        position_type=(row.get("position_type") or "").strip().lower().replace(" ", "_"),
        state=row.get("state") or "",
        city=row.get("city") or "",
        nrmp_code=row.get("nrmp_code") or "",
        website=row.get("website") or "",
        requirements=requirements,
    )


def _decode(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise ValidationFailed(MSG_TOO_BIG, errors={"file": [str(MSG_TOO_BIG)]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(MSG_ENCODING, errors={"file": [str(MSG_ENCODING)]}) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        msg = MSG_HEADER % {"cols": ", ".join(missing)}
        raise ValidationFailed(msg, errors={"file": [str(msg)]})
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            rows.append({k: (v if isinstance(v, str) else "") for k, v in row.items() if k})
            if len(rows) > MAX_ROWS:
                raise ValidationFailed(MSG_TOO_BIG, errors={"file": [str(MSG_TOO_BIG)]})
    except csv.Error:
        raise ValidationFailed(MSG_ENCODING, errors={"file": [str(MSG_ENCODING)]}) from None
    return rows


def programs_import(*, actor: User, data: bytes) -> ImportResult:
    """Import the applicant's programs from CSV bytes.

    Each row runs in its own savepoint: a bad row is reported (`{row, message}`, row 2 is
    the first line after the header) and the good rows still import. A row whose ACGME id is
    already in the list updates that program (requirements replaced only when the file has
    requirement columns); it never creates a second one. Raises ValidationFailed only when
    the file as a whole cannot be read. Audited once with the counts.
    """
    _require_applicant(actor)
    rows = _decode(data)
    has_requirements = bool(rows) and any(k in rows[0] for k in REQUIREMENT_COLUMNS)
    result = ImportResult()
    for number, row in enumerate(rows, start=2):
        try:
            payload = _row_input(row, has_requirements)
            acgme = " ".join(payload.acgme_id.split())
            existing = Program.objects.filter(owner=actor, acgme_id=acgme).first()
            with transaction.atomic():
                if existing is None:
                    program_add(actor=actor, data=payload)
                    result.created += 1
                else:
                    _program_from_input(existing, payload)
                    reqs = _requirements_validate(payload.requirements)
                    existing.save()
                    if has_requirements:
                        _requirements_replace(existing, reqs)
                    result.updated += 1
        except ApplicationError as exc:
            result.errors.append({"row": number, "message": _messages(exc)})
    audit_record(
        actor=actor,
        action="eras_program.imported",
        target=actor,
        data={"created": result.created, "updated": result.updated, "errors": len(result.errors)},
    )
    return result


EXPORT_HEADER = (
    *REQUIRED_COLUMNS,
    *OPTIONAL_COLUMNS,
    "status",
    "signal",
    "geographic_preference",
    "fit",
    "notes",
    *REQUIREMENT_COLUMNS,
    *(f"{k}_strictness" for k in REQUIREMENT_COLUMNS),
)


def export_rows(rows: Sequence[Any]) -> Iterator[list[Any]]:
    """Rows for `core.csv_export.csv_response` (which neutralises formula cells) from the
    selectors' target rows (`target`, `fit`)."""
    for row in rows:
        target = row.target
        program = target.program
        reqs = {r.kind: r for r in program.requirements.all()}
        yield [
            program.acgme_id,
            program.name,
            program.specialty_id,
            program.state,
            program.position_type,
            program.nrmp_code,
            program.website,
            program.city,
            target.status,
            target.signal,
            "yes" if target.geographic_preference else "no",
            row.fit,
            target.notes,
            *(reqs[k].value if k in reqs else "" for k in REQUIREMENT_COLUMNS),
            *(reqs[k].strictness if k in reqs else "" for k in REQUIREMENT_COLUMNS),
        ]
