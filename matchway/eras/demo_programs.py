"""Demo season, program side: the demo applicant's 16 programs in several states, with
requirements that give mixed fit (met, not met, unknown), statuses along the pipeline, and
letters and a statement assigned on some; a small shared list for coordinators.

Idempotent: programs are found by ACGME id; statuses move only from `considering`; letters
and the statement are assigned only where none are. The requirement values are invented
demo examples (source: example.org), not facts about real programs.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from matchway.accounts.models import User
from matchway.core.exceptions import ApplicationError
from matchway.letters.selectors import letter_assignable_list
from matchway.statements.models import Statement

from .models import Program, ProgramTarget
from .selectors_programs import target_rows_for_user
from .services.programs import ProgramInput, RequirementInput, program_add, shared_program_create
from .services.targets import target_letter_assign, target_statement_set, target_status_set

SOURCE = "https://example.org/demo-program-requirements"

# (acgme suffix, name, specialty, state, city, position, status, requirements)
DEMO: list[tuple[str, str, str, str, str, str, str, list[tuple[str, str, str]]]] = [
    ("01", "Lakeside Internal Medicine", "140", "NY", "Albany", "categorical", "applied",
     [("visas", "j1,h1b", "strict"), ("years_since_graduation", "5", "strict")]),
    ("02", "Hudson Valley Medicine", "140", "NY", "Poughkeepsie", "categorical",
     "interview_invited",
     [("visas", "j1", "strict"), ("usce_months", "2", "preferred"),
      ("usce_kind", "hands_on", "preferred")]),
    ("03", "Bayou Internal Medicine", "140", "LA", "Baton Rouge", "categorical", "applied",
     [("visas", "h1b", "strict")]),
    ("04", "Prairie Family Medicine", "120", "KS", "Wichita", "categorical", "considering",
     [("visas", "j1", "strict"), ("years_since_graduation", "3", "preferred")]),
    ("05", "Desert Family Medicine", "120", "AZ", "Tucson", "categorical", "applied",
     [("step2_min", "225", "strict"), ("visas", "j1,h1b", "strict")]),
    ("06", "Lakeshore Medicine", "140", "IL", "Chicago", "categorical", "interview_scheduled",
     [("visas", "j1", "strict"), ("ecfmg_by", "2027-06-01", "strict")]),
    ("07", "Gulf Coast Internal Medicine", "140", "TX", "Houston", "categorical", "considering",
     [("visas", "none", "strict"), ("img_share", "35%", "unknown")]),
    ("08", "Piedmont Family Medicine", "120", "NC", "Greensboro", "categorical", "applied",
     [("attempts", "1", "strict"), ("visas", "j1", "strict")]),
    ("09", "Great Lakes Preliminary Medicine", "140", "MI", "Detroit", "preliminary", "considering",
     [("visas", "j1", "strict")]),
    ("10", "Sunbelt Internal Medicine", "140", "FL", "Tampa", "categorical", "rejected",
     [("usce_months", "12", "strict"), ("usce_recency", "12", "strict")]),
    ("11", "Keystone Medicine", "140", "PA", "Scranton", "categorical", "applied",
     [("visas", "j1,h1b", "strict"), ("usce_months", "1", "preferred")]),
    ("12", "Cascade Family Medicine", "120", "WA", "Yakima", "categorical", "considering",
     []),
    ("13", "Ozark Internal Medicine", "140", "MO", "Springfield", "categorical", "withdrawn",
     [("visas", "h1b", "strict")]),
    ("14", "Tri-County Family Medicine", "120", "OH", "Dayton", "categorical",
     "interview_invited",
     [("visas", "j1", "strict"), ("state_rules", "see the program's licensing page", "unknown")]),
    ("15", "Capital Internal Medicine", "140", "MD", "Baltimore", "categorical", "considering",
     [("step2_min", "240", "preferred"), ("visas", "j1", "strict")]),
    ("16", "Bluegrass Family Medicine", "120", "KY", "Lexington", "categorical", "applied",
     [("visas", "j1,h1b", "strict"), ("years_since_graduation", "10", "strict")]),
]  # fmt: skip


def _acgme(specialty: str, suffix: str) -> str:
    return f"{specialty}99000{suffix}"


def _input(
    row: tuple[str, str, str, str, str, str, str, list[tuple[str, str, str]]],
) -> ProgramInput:
    suffix, name, specialty, state, city, position, _status, reqs = row
    return ProgramInput(
        acgme_id=_acgme(specialty, suffix),
        name=name,
        specialty=specialty,
        state=state,
        city=city,
        position_type=position,
        requirements=[
            RequirementInput(kind=k, value=v, strictness=s, source_url=SOURCE) for k, v, s in reqs
        ],
    )


def _walk_to(applicant: User, target: ProgramTarget, status: str) -> None:
    if target.status != "considering" or status == "considering":
        return
    target_status_set(actor=applicant, target=target, status=status)


def seed(context: dict[str, Any]) -> None:
    users: dict[str, User] = context.get("users", {})
    applicant, coordinator = users.get("applicant"), users.get("coordinator")
    if applicant is None:
        return
    for row in DEMO:
        data = _input(row)
        target = ProgramTarget.objects.filter(
            applicant=applicant, program__acgme_id=data.acgme_id
        ).first()
        if target is None:
            target = program_add(actor=applicant, data=data)
        _walk_to(applicant, target, row[6])
    if coordinator is not None:
        for row in DEMO[:3]:
            data = _input(row)
            data.acgme_id = data.acgme_id[:-2] + "5" + data.acgme_id[-1]
            if not Program.objects.filter(owner__isnull=True, acgme_id=data.acgme_id).exists():
                shared_program_create(actor=coordinator, data=data)
    _documents(applicant)
    stdout = context.get("stdout")
    if stdout is not None:
        stdout.write("  eras: demo programs ready")


def _documents(applicant: User) -> None:
    """A statement and the demo letters on the first few programs (only where none are)."""
    rows = target_rows_for_user(user=applicant)[:4]
    statement = Statement.objects.filter(applicant=applicant).order_by("pk").first()
    letters = letter_assignable_list(viewer=applicant)
    for row in rows:
        if statement is not None and row.target.statement_version_id is None:
            with suppress(ApplicationError):
                target_statement_set(actor=applicant, target=row.target, statement_id=statement.pk)
        if not row.letters:
            for letter in letters[:2]:
                with suppress(ApplicationError):
                    target_letter_assign(
                        actor=applicant, target=row.target, letter_id=letter.letter_id
                    )
