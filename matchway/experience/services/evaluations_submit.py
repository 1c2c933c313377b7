"""Filling in an evaluation: save a draft or submit it (evaluator or emailed-link holder)."""

from __future__ import annotations

from django.db import transaction

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import InvalidTransition, PhiDetected
from matchway.core.models import OneTimeToken
from matchway.core.tokens import token_consume, token_revoke_for
from matchway.experience.models import Evaluation, EvaluationKind
from matchway.phi.guard import phi_scan_fields

from .evaluations import (
    EVALUATION_STATUSES,
    MSG_IMMUTABLE,
    MSG_NOT_RUNNING,
    TOKEN_PURPOSE,
    EvaluationInput,
    _require_evaluator,
    _validate,
)
from .evaluations_addenda import _notify_applicant


def evaluation_check_submit(
    *,
    actor: User | None,
    evaluation: Evaluation,
    values: EvaluationInput,
    token: OneTimeToken | None = None,
) -> None:
    """Everything a submission checks, storing nothing: the evaluator, that the evaluation
    is still open, every field (complete), the PHI guard on every narrative (confidential
    comments included) and the application's status.

    The form calls it before asking "submit now?", so the question only comes once the
    answers are complete; `evaluation_save(submit=True)` runs the same checks again.
    """
    _require_evaluator(actor, evaluation, token)
    if evaluation.submitted_at is not None:
        raise InvalidTransition(MSG_IMMUTABLE)
    _validate(evaluation, values, complete=True)
    PhiDetected.raise_if(phi_scan_fields(values.narratives()))
    if evaluation.application.status not in EVALUATION_STATUSES:
        raise InvalidTransition(MSG_NOT_RUNNING)


def evaluation_save(
    *,
    actor: User | None,
    evaluation: Evaluation,
    values: EvaluationInput,
    submit: bool,
    token: OneTimeToken | None = None,
) -> Evaluation:
    """Save a draft, or submit (final and immutable). Call OUTSIDE a transaction.

    The evaluator is `actor`, or — for someone without an account — the holder of the
    resolved secret-link `token`, which a submission consumes (single use). Both the token
    and the evaluation are claimed with compare-and-set, so a double submit loses cleanly
    with `InvalidTransition`. On submit the applicant is emailed (preceptor evaluations).
    Comments with possible patient identifiers raise `PhiDetected` and store nothing.
    """
    _require_evaluator(actor, evaluation, token)
    if evaluation.submitted_at is not None:
        raise InvalidTransition(MSG_IMMUTABLE)
    _validate(evaluation, values, complete=submit)
    PhiDetected.raise_if(phi_scan_fields(values.narratives()))
    if submit and evaluation.application.status not in EVALUATION_STATUSES:
        raise InvalidTransition(MSG_NOT_RUNNING)
    now = clock.now()
    with transaction.atomic():
        if submit and token is not None and not token_consume(token):
            raise InvalidTransition(MSG_IMMUTABLE)
        updated = Evaluation.objects.filter(pk=evaluation.pk, submitted_at__isnull=True).update(
            ratings={code: values.ratings[code] for code in values.ratings},
            strengths=values.strengths.strip(),
            areas_to_grow=values.areas_to_grow.strip(),
            would_write_letter=values.would_write_letter,
            recommendation=values.recommendation,
            confidential_comments=values.confidential_comments.strip(),
            submitted_at=now if submit else None,
            updated_at=now,
        )
        if updated != 1:
            raise InvalidTransition(MSG_IMMUTABLE)
        evaluation.refresh_from_db()
        if submit:
            token_revoke_for(purpose=TOKEN_PURPOSE, target=evaluation)
            audit_record(
                actor=actor,
                action="evaluation.submit",
                target=evaluation,
                data={"kind": evaluation.kind, "phase": evaluation.phase, "via_link": bool(token)},
            )
            if evaluation.kind == EvaluationKind.PRECEPTOR:
                _notify_applicant(evaluation, addendum=False)
    return evaluation
