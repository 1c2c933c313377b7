"""Programs and their requirements: add by hand, edit, delete, copy from the shared list.

An applicant's program always comes with its target for the current season (one program row
per owner and ACGME id, one target per applicant, program and season). A coordinator edits
the shared list (`owner` empty); applicants copy from it into their own list, so a later
edit of the shared row never changes what an applicant already curated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, AlreadyExists, NotFound, ValidationFailed
from matchway.reference.eras import eras_data
from matchway.reference.models import Specialty, State

from ..models import (
    PositionType,
    Program,
    ProgramRequirement,
    ProgramTarget,
    RequirementKind,
    Strictness,
    TargetStatus,
    TargetStatusChange,
)

MSG_DUPLICATE = _("A program with ACGME id %(acgme)s is already in your list.")
MSG_SPECIALTY = _("Unknown specialty code “%(code)s”; use a code from the specialty list.")
MSG_STATE = _("Unknown state “%(code)s”; use the two-letter code, for example NY.")
MSG_NOT_YOURS = _("Only applicants keep a program list; coordinators curate the shared list.")
MSG_SHARED_DUPLICATE = _("ACGME id %(acgme)s is already on the shared list.")
MSG_COORDINATOR_ONLY = _("Only coordinators edit the shared program list.")
PROGRAM_FIELDS = ("acgme_id", "nrmp_code", "name", "specialty", "position_type", "city", "state")


def current_season() -> str:
    """The season targets belong to: MATCHWAY_SEASON, else the newest in the ERAS data."""
    wanted = getattr(settings, "MATCHWAY_SEASON", None)
    if wanted:
        return str(wanted)
    dates = eras_data().get("eras_season_dates", {})
    seasons = [k for k in dates if not k.startswith("_")]
    return max(seasons) if seasons else str(clock.now().year)


@dataclass(frozen=True)
class RequirementInput:
    kind: str
    value: str
    strictness: str = Strictness.UNKNOWN
    source_url: str = ""
    checked_on: dt.date | None = None


@dataclass
class ProgramInput:
    acgme_id: str
    name: str
    specialty: str
    position_type: str = PositionType.CATEGORICAL
    state: str = ""
    city: str = ""
    nrmp_code: str = ""
    website: str = ""
    requirements: list[RequirementInput] = field(default_factory=list)


def _clean_text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _program_from_input(program: Program, data: ProgramInput) -> None:
    """Copy and validate the fields; raise ValidationFailed with per-field messages."""
    errors: dict[str, list[str]] = {}
    program.acgme_id = _clean_text(data.acgme_id)
    program.nrmp_code = _clean_text(data.nrmp_code).upper()
    program.name = _clean_text(data.name)
    program.position_type = _clean_text(data.position_type) or PositionType.CATEGORICAL
    program.city = _clean_text(data.city)
    program.state = _clean_text(data.state).upper()
    program.website = _clean_text(data.website)
    code = _clean_text(data.specialty)
    specialty = Specialty.objects.filter(code=code).first() if code else None
    if specialty is None:
        errors["specialty"] = [str(MSG_SPECIALTY % {"code": code})]
    else:
        program.specialty = specialty
    if program.state and not State.objects.filter(code=program.state).exists():
        errors["state"] = [str(MSG_STATE % {"code": program.state})]
    try:
        program.full_clean(exclude=["owner", "specialty"], validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationFailed(errors=errors)


def _requirements_validate(rows: list[RequirementInput]) -> list[ProgramRequirement]:
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    built = []
    kinds = set(RequirementKind.values)
    for row in rows:
        value = _clean_text(row.value)
        if not value:
            continue
        if row.kind not in kinds:
            errors.setdefault("requirements", []).append(
                str(_("Unknown requirement “%(k)s”.") % {"k": row.kind})
            )
            continue
        if row.kind in seen:
            errors.setdefault("requirements", []).append(
                str(_("“%(k)s” is listed twice.") % {"k": row.kind})
            )
            continue
        seen.add(row.kind)
        req = ProgramRequirement(
            kind=row.kind,
            value=value,
            strictness=row.strictness or Strictness.UNKNOWN,
            source_url=_clean_text(row.source_url),
            checked_on=row.checked_on,
        )
        try:
            req.full_clean(exclude=["program"], validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault("requirements", []).extend(f"{name}: {m}" for m in messages)
        built.append(req)
    if errors:
        raise ValidationFailed(errors=errors)
    return built


def _requirements_replace(program: Program, reqs: list[ProgramRequirement]) -> None:
    program.requirements.all().delete()
    for req in reqs:
        req.program = program
    ProgramRequirement.objects.bulk_create(reqs)


def _require_applicant(actor: User) -> None:
    if actor.role != Role.APPLICANT:
        raise AccessDenied(MSG_NOT_YOURS)


def _target_start(*, actor: User, program: Program, status: str) -> ProgramTarget:
    target = ProgramTarget.objects.create(
        applicant=actor, program=program, season=current_season(), status=status
    )
    TargetStatusChange.objects.create(
        target=target, from_status="", to_status=status, changed_at=clock.now()
    )
    return target


def program_add(
    *, actor: User, data: ProgramInput, status: str = TargetStatus.CONSIDERING
) -> ProgramTarget:
    """Add a program to the applicant's own list with its target for the current season.

    Raises ValidationFailed (field messages) or AlreadyExists (same ACGME id already listed).
    Writes the program, its requirements, the target and its first status change in one
    transaction, audited.
    """
    _require_applicant(actor)
    if status not in TargetStatus.values:
        raise ValidationFailed(errors={"status": [str(_("Unknown status."))]})
    program = Program(owner=actor)
    _program_from_input(program, data)
    reqs = _requirements_validate(data.requirements)
    if Program.objects.filter(owner=actor, acgme_id=program.acgme_id).exists():
        raise AlreadyExists(MSG_DUPLICATE % {"acgme": program.acgme_id})
    try:
        with transaction.atomic():
            program.save()
            _requirements_replace(program, reqs)
            target = _target_start(actor=actor, program=program, status=status)
            audit_record(actor=actor, action="eras_program.added", target=program)
    except IntegrityError:
        # Two submissions of the same id at once: the unique constraint decided.
        raise AlreadyExists(MSG_DUPLICATE % {"acgme": program.acgme_id}) from None
    return target


def program_update(*, actor: User, program: Program, data: ProgramInput) -> Program:
    """Edit a program the actor may edit (their own; a coordinator: a shared one)."""
    _may_edit(actor, program)
    _program_from_input(program, data)
    reqs = _requirements_validate(data.requirements)
    clash = Program.objects.filter(owner=program.owner, acgme_id=program.acgme_id).exclude(
        pk=program.pk
    )
    shared = program.owner_id is None
    message = MSG_SHARED_DUPLICATE if shared else MSG_DUPLICATE
    if clash.exists():
        raise AlreadyExists(message % {"acgme": program.acgme_id})
    try:
        with transaction.atomic():
            program.save()
            _requirements_replace(program, reqs)
            audit_record(
                actor=actor,
                action="eras_program.shared_updated" if shared else "eras_program.updated",
                target=program,
            )
    except IntegrityError:
        # Another edit took the same ACGME id at the same moment: the constraint decided.
        raise AlreadyExists(message % {"acgme": program.acgme_id}) from None
    return program


def program_delete(*, actor: User, program: Program) -> None:
    """Delete a program (and, for an applicant's own, its targets, history and interviews).

    A shared program (coordinators only) goes alone: applicants' copies are their own rows.
    """
    _may_edit(actor, program)
    shared = program.owner_id is None
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="eras_program.shared_deleted" if shared else "eras_program.deleted",
            target=program,
            data={"acgme_id": program.acgme_id},
        )
        program.delete()


def _may_edit(actor: User, program: Program) -> None:
    if program.owner_id is None:
        if actor.role != Role.COORDINATOR:
            raise NotFound()
    elif program.owner_id != actor.pk:
        raise NotFound()


def shared_program_create(*, actor: User, data: ProgramInput) -> Program:
    """A coordinator adds a program to the shared list (owner empty)."""
    if actor.role != Role.COORDINATOR:
        raise AccessDenied(MSG_COORDINATOR_ONLY)
    program = Program(owner=None)
    _program_from_input(program, data)
    reqs = _requirements_validate(data.requirements)
    if Program.objects.filter(owner__isnull=True, acgme_id=program.acgme_id).exists():
        raise AlreadyExists(MSG_SHARED_DUPLICATE % {"acgme": program.acgme_id})
    with transaction.atomic():
        program.save()
        _requirements_replace(program, reqs)
        audit_record(actor=actor, action="eras_program.shared_added", target=program)
    return program


def program_input_from(program: Program) -> ProgramInput:
    return ProgramInput(
        acgme_id=program.acgme_id,
        name=program.name,
        specialty=program.specialty_id,
        position_type=program.position_type,
        state=program.state,
        city=program.city,
        nrmp_code=program.nrmp_code,
        website=program.website,
        requirements=[
            RequirementInput(
                kind=r.kind,
                value=r.value,
                strictness=r.strictness,
                source_url=r.source_url,
                checked_on=r.checked_on,
            )
            for r in program.requirements.all()
        ],
    )


def shared_program_copy(*, actor: User, shared: Program) -> ProgramTarget:
    """Copy a program from the shared list (requirements and sources included) into the
    applicant's own list. AlreadyExists if that ACGME id is already there."""
    if shared.owner_id is not None:
        raise NotFound()
    return program_add(actor=actor, data=program_input_from(shared))
