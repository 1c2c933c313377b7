"""Program assignments: at most 4 letters per program (ERAS), serialized per applicant."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from matchway.accounts.models import Role, User
from matchway.core.exceptions import AccessDenied, NotFound, ValidationFailed
from matchway.core.locking import lock_for_update
from matchway.core.validators import MSG_SINGLE_LINE, has_control_characters
from matchway.reference.eras import UnknownFact, eras_fact

from ..models import MAX_SLOTS_PER_PROGRAM, LetterAssignment
from ..selectors import SYSTEM, letter_assignment_count, letter_get_for_assignment
from .common import MSG_NOT_APPLICANT, audit

MSG_PROGRAM_FULL = gettext_lazy(
    "%(program)s already has %(limit)s letters, the most ERAS lets a program receive. "
    "Remove one first."
)
MSG_PROGRAM_LABEL = gettext_lazy("Enter the program's name.")
MSG_ALREADY_ASSIGNED = gettext_lazy("This letter is already assigned to that program.")


def program_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def max_letters_per_program() -> int:
    try:
        value = int(eras_fact("letters_of_recommendation.max_per_program").value)
    except (UnknownFact, TypeError, ValueError):
        value = MAX_SLOTS_PER_PROGRAM
    # The slot column cannot hold more than the database backstop allows.
    return max(1, min(value, MAX_SLOTS_PER_PROGRAM))


def letter_assign(
    *, actor: User, letter_id: int, program_label: str, ip: str | None = None
) -> LetterAssignment:
    """Assign one of the applicant's letters to a program (at most 4 per program).

    Locks the applicant's user row so two concurrent assignments to one program serialize,
    recounts, then takes the lowest free slot. The unique (applicant, program, slot)
    constraint and the 1..4 check are the backstop if anything slips past the count.
    """
    if actor.role != Role.APPLICANT:
        raise AccessDenied(MSG_NOT_APPLICANT)
    if has_control_characters(program_label):
        raise ValidationFailed(errors={"program_label": [str(MSG_SINGLE_LINE)]})
    label = " ".join(program_label.split())[:200]
    if not label:
        raise ValidationFailed(errors={"program_label": [str(MSG_PROGRAM_LABEL)]})
    key = program_key(label)
    limit = max_letters_per_program()
    with transaction.atomic():
        lock_for_update(User, [actor.pk])
        letter = letter_get_for_assignment(viewer=actor, letter_id=letter_id)
        if letter is None:
            raise NotFound()
        if LetterAssignment.objects.filter(letter=letter, program_key=key).exists():
            raise ValidationFailed(errors={"program_label": [str(MSG_ALREADY_ASSIGNED)]})
        used = set(
            LetterAssignment.objects.filter(applicant=actor, program_key=key).values_list(
                "slot", flat=True
            )
        )
        if letter_assignment_count(viewer=SYSTEM, applicant=actor, program_key=key) >= limit:
            raise ValidationFailed(
                errors={
                    "program_label": [str(MSG_PROGRAM_FULL % {"program": label, "limit": limit})]
                }
            )
        free = [s for s in range(1, limit + 1) if s not in used]
        if not free:
            raise ValidationFailed(
                errors={
                    "program_label": [str(MSG_PROGRAM_FULL % {"program": label, "limit": limit})]
                }
            )
        slot = free[0]
        existing_label = (
            LetterAssignment.objects.filter(applicant=actor, program_key=key)
            .values_list("program_label", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                assignment = LetterAssignment.objects.create(
                    letter=letter,
                    applicant=actor,
                    program_label=existing_label or label,
                    program_key=key,
                    slot=slot,
                )
        except IntegrityError:
            raise ValidationFailed(
                errors={
                    "program_label": [str(MSG_PROGRAM_FULL % {"program": label, "limit": limit})]
                }
            ) from None
        audit(actor, "letter_assignment.created", assignment, {"slot": slot}, ip)
    return assignment


def letter_unassign(*, actor: User, assignment: LetterAssignment, ip: str | None = None) -> None:
    if assignment.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        audit(actor, "letter_assignment.deleted", assignment, {"slot": assignment.slot}, ip)
        assignment.delete()
