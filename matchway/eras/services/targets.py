"""One applicant's target for one program: status pipeline, notes, documents.

Every status change is written to `TargetStatusChange` with its time from the one clock.
Letters go through the letters app's own service (`letter_assign`, the 4-per-program limit
is its database rule); the statement version must be one of the applicant's own.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import InvalidTransition, NotFound, ValidationFailed
from matchway.letters.selectors import letter_assignment_get
from matchway.letters.services.assignments import letter_assign, letter_unassign
from matchway.statements.models import StatementVersion
from matchway.statements.selectors import statement_get_for_user, version_latest

from ..models import ProgramTarget, TargetStatus, TargetStatusChange

PIPELINE = (
    TargetStatus.CONSIDERING,
    TargetStatus.APPLIED,
    TargetStatus.INTERVIEW_INVITED,
    TargetStatus.INTERVIEW_SCHEDULED,
    TargetStatus.INTERVIEWED,
    TargetStatus.RANKED,
)
CLOSED = (TargetStatus.REJECTED, TargetStatus.WITHDRAWN)
MSG_TRANSITION = _("A program cannot go from “%(old)s” to “%(new)s”.")


def allowed_next(status: str) -> list[str]:
    """Forward along the pipeline (steps may be skipped: an invitation may come straight
    with a date), or out of it (rejected, withdrawn). Closed targets stay closed."""
    if status in CLOSED:
        return []
    later = list(PIPELINE[PIPELINE.index(TargetStatus(status)) + 1 :])
    return [*later, *CLOSED]


def program_label(target: ProgramTarget) -> str:
    """How the program is named on letter assignments (unique per ACGME id)."""
    return f"{target.program.name} ({target.program.acgme_id})"


def target_status_set(*, actor: User, target: ProgramTarget, status: str) -> ProgramTarget:
    """Move the target along the pipeline; records the change with its time, audited.
    Raises InvalidTransition for a move the pipeline does not allow (same status: no-op)."""
    _own(actor, target)
    if status == target.status:
        return target
    if status not in TargetStatus.values or status not in allowed_next(target.status):
        old = TargetStatus(target.status).label
        new = TargetStatus(status).label if status in TargetStatus.values else status
        raise InvalidTransition(MSG_TRANSITION % {"old": old, "new": new})
    with transaction.atomic():
        changed = ProgramTarget.objects.filter(pk=target.pk, status=target.status).update(
            status=status, updated_at=clock.now()
        )
        if changed != 1:
            # Someone else moved it first: compare-and-set, nothing written.
            raise InvalidTransition()
        TargetStatusChange.objects.create(
            target=target, from_status=target.status, to_status=status, changed_at=clock.now()
        )
        audit_record(
            actor=actor,
            action="eras_target.status_changed",
            target=target,
            data={"from": target.status, "to": status},
        )
    target.status = status
    return target


def target_update(
    *,
    actor: User,
    target: ProgramTarget,
    notes: str | None = None,
    geographic_preference: bool | None = None,
    experiences_note: str | None = None,
) -> ProgramTarget:
    """Notes, geographic preference and experiences used (only what is given changes)."""
    _own(actor, target)
    fields = []
    if notes is not None:
        target.notes = notes.strip()[:5000]
        fields.append("notes")
    if geographic_preference is not None:
        target.geographic_preference = geographic_preference
        fields.append("geographic_preference")
    if experiences_note is not None:
        target.experiences_note = experiences_note.strip()[:5000]
        fields.append("experiences_note")
    if fields:
        target.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor, action="eras_target.updated", target=target, data={"fields": fields}
        )
    return target


def target_statement_set(
    *, actor: User, target: ProgramTarget, statement_id: int | None
) -> ProgramTarget:
    """Assign the newest version of one of the applicant's statements (None: remove)."""
    _own(actor, target)
    version: StatementVersion | None = None
    if statement_id is not None:
        statement = statement_get_for_user(user=actor, pk=statement_id)
        if statement is None:
            raise NotFound()
        version = version_latest(statement)
        if version is None:
            raise ValidationFailed(
                errors={"statement": [str(_("This statement has no saved text yet."))]}
            )
    target.statement_version = version
    target.save(update_fields=["statement_version", "updated_at"])
    audit_record(
        actor=actor,
        action="eras_target.statement_set",
        target=target,
        data={"statement_version": version.pk if version else None},
    )
    return target


def target_letter_assign(*, actor: User, target: ProgramTarget, letter_id: int) -> None:
    """Assign one of the applicant's letters to this program (letters' own service: at most
    4 per program, serialized per applicant, the slot constraint is the backstop)."""
    _own(actor, target)
    letter_assign(actor=actor, letter_id=letter_id, program_label=program_label(target))


def target_letter_unassign(*, actor: User, target: ProgramTarget, assignment_id: int) -> None:
    _own(actor, target)
    assignment = letter_assignment_get(viewer=actor, pk=assignment_id)
    if assignment is None:
        raise NotFound()
    letter_unassign(actor=actor, assignment=assignment)


def _own(actor: User, target: ProgramTarget) -> None:
    if target.applicant_id != actor.pk:
        raise NotFound()
