"""Reminders for evaluations not yet submitted: the periodic sweep and the manual nudge."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, InvalidTransition
from matchway.experience.models import Evaluation, EvaluationKind

from .evaluations import (
    EVALUATION_STATUSES,
    MANUAL_REMINDER_COOLDOWN,
    MAX_REMINDERS,
    MSG_IMMUTABLE,
    MSG_REMINDED,
    REMINDER_AFTER,
    REMINDER_EVERY,
    _send_request,
)


def _due_for_reminder(evaluation: Evaluation, now: dt.datetime) -> bool:
    if evaluation.reminders_sent >= MAX_REMINDERS:
        return False
    if evaluation.reminders_sent == 0 or evaluation.last_reminded_at is None:
        return evaluation.created_at + REMINDER_AFTER <= now
    return evaluation.last_reminded_at + REMINDER_EVERY <= now


def evaluations_remind_due(*, now: dt.datetime | None = None) -> int:
    """Send the scheduled reminders (3 days after the request, then every 4 days, at
    most 3). Each reminder is claimed with a conditional UPDATE, so overlapping runs send
    it once. Returns how many were sent."""
    current = now or clock.now()
    pending = Evaluation.objects.filter(
        kind=EvaluationKind.PRECEPTOR,
        submitted_at__isnull=True,
        addendum_to__isnull=True,
        reminders_sent__lt=MAX_REMINDERS,
        application__status__in=EVALUATION_STATUSES,
    ).select_related("application__applicant", "application__session__rotation", "evaluator")
    sent = 0
    for evaluation in pending:
        if not _due_for_reminder(evaluation, current):
            continue
        with transaction.atomic():
            claimed = Evaluation.objects.filter(
                pk=evaluation.pk,
                submitted_at__isnull=True,
                reminders_sent=evaluation.reminders_sent,
            ).update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=current)
            if claimed != 1:
                continue  # race: another run reminded (or the evaluator submitted) first
            _send_request(evaluation, reminder=True)
            audit_record(actor=None, action="evaluation.remind", target=evaluation)
        sent += 1
    return sent


def evaluation_remind(
    *, actor: User, evaluation: Evaluation, now: dt.datetime | None = None
) -> Evaluation:
    """A coordinator sends a reminder now (at most one an hour per evaluation)."""
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    if evaluation.submitted_at is not None or evaluation.kind != EvaluationKind.PRECEPTOR:
        raise InvalidTransition(MSG_IMMUTABLE)
    current = now or clock.now()
    with transaction.atomic():
        claimed = (
            Evaluation.objects.filter(pk=evaluation.pk, submitted_at__isnull=True)
            .filter(
                Q(last_reminded_at__isnull=True)
                | Q(last_reminded_at__lte=current - MANUAL_REMINDER_COOLDOWN)
            )
            .update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=current)
        )
        if claimed != 1:
            raise InvalidTransition(MSG_REMINDED)
        evaluation.refresh_from_db()
        _send_request(evaluation, reminder=True)
        audit_record(actor=actor, action="evaluation.remind", target=evaluation)
    return evaluation
