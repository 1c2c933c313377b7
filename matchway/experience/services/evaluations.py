"""Evaluations: requests from the session schedule, preceptor ratings, self-assessment,
addenda, reminders, secure links for evaluators without an account, and the composite.

Ratings are 1–5 or `None` ("not observed") on the six ACGME core competencies plus
situational awareness. A submitted evaluation never changes: a correction is an addendum
(a new, submitted Evaluation pointing at the original), and the newest addendum is what
counts. Every claim (submit, remind) is a compare-and-set on the row.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.email import email_send
from matchway.core.exceptions import AccessDenied, ValidationFailed
from matchway.core.links import absolute_url
from matchway.core.models import OneTimeToken
from matchway.core.tokens import token_issue
from matchway.experience.models import Evaluation, EvaluationKind, Recommendation
from matchway.reference.models import Competency
from matchway.rotations.models import ApplicationStatus

TOKEN_PURPOSE = "evaluation"  # noqa: S105 - a token purpose label, not a secret
TOKEN_STATE = "pending"  # noqa: S105 - a token state label, not a secret
TOKEN_TTL = dt.timedelta(days=30)
REMINDER_AFTER = dt.timedelta(days=3)
REMINDER_EVERY = dt.timedelta(days=4)
MAX_REMINDERS = 3
MANUAL_REMINDER_COOLDOWN = dt.timedelta(hours=1)
# Requests are created for sessions that ended at most this long ago (no surprise emails
# about rotations from last year when the feature is switched on).
REQUEST_WINDOW = dt.timedelta(days=60)
EVALUATION_STATUSES = (ApplicationStatus.IN_PROGRESS, ApplicationStatus.COMPLETED)

MSG_IMMUTABLE = _("This evaluation was submitted and cannot change. Add an addendum instead.")
MSG_NOT_SUBMITTED = _("Only a submitted evaluation can get an addendum.")
MSG_REMINDED = _("A reminder went out less than an hour ago.")
MSG_ALREADY_REQUESTED = _("An evaluation was already requested from this person.")
MSG_NOT_RUNNING = _("Evaluations start once the rotation is in progress.")

RATING_CHOICES = (1, 2, 3, 4, 5)
NOT_OBSERVED = "na"


# The recommendation for residency is confidential (never shown to the applicant).
RECOMMENDATION_CHOICES = tuple(Recommendation.choices)
MAX_NARRATIVE = 4000


COMPETENCY_CODES: tuple[str, ...] = ("PC", "MK", "PBLI", "ICS", "PROF", "SBP", "SA")
FALLBACK_NAMES = {
    "PC": "Patient Care and Procedural Skills",
    "MK": "Medical Knowledge",
    "PBLI": "Practice-based Learning and Improvement",
    "ICS": "Interpersonal and Communication Skills",
    "PROF": "Professionalism",
    "SBP": "Systems-based Practice",
    "SA": "Situational Awareness",
}
SHORT_NAMES = {
    "PC": _("Patient care"),
    "MK": _("Medical knowledge"),
    "PBLI": _("Practice-based learning"),
    "ICS": _("Communication"),
    "PROF": _("Professionalism"),
    "SBP": _("Systems-based practice"),
    "SA": _("Situational awareness"),
}
# Behavioural anchors (our wording) for levels 1, 3 and 5; 2 and 4 lie between them.
ANCHORS: dict[str, dict[int, Any]] = {
    "PC": {
        1: _("Needs step-by-step direction to take a history or examine; misses key findings."),
        3: _(
            "Takes a focused history and exam for common problems and proposes a reasonable "
            "plan with some prompting."
        ),
        5: _(
            "Gathers complete, prioritized information efficiently and proposes safe plans "
            "the team adopts."
        ),
    },
    "MK": {
        1: _("Recalls isolated facts but cannot yet connect them to the patient at hand."),
        3: _(
            "Explains the mechanism and first-line management of the common conditions seen "
            "on the rotation."
        ),
        5: _("Builds a prioritized differential, cites evidence accurately and teaches peers."),
    },
    "PBLI": {
        1: _("Rarely asks for feedback; the same gaps come back."),
        3: _("Asks for feedback and acts on it; looks up answers to clinical questions."),
        5: _(
            "Seeks feedback unprompted, sets learning goals and brings back evidence that "
            "changes the discussion."
        ),
    },
    "ICS": {
        1: _("Presentations are disorganized; talks with patients or staff need close help."),
        3: _(
            "Presents in an organized way and speaks clearly and respectfully with patients "
            "and the team."
        ),
        5: _(
            "Concise, well-built presentations; adapts language to patients and families; "
            "handles hard conversations with care."
        ),
    },
    "PROF": {
        1: _("Sometimes late or unprepared; needs reminders about duties or confidentiality."),
        3: _("Reliable, punctual, honest and respectful; protects patient privacy."),
        5: _("A model of accountability and integrity; anticipates needs and supports colleagues."),
    },
    "SBP": {
        1: _("Unaware of how care is organized or of other professionals' roles."),
        3: _(
            "Understands team roles, handoffs and common barriers such as cost or discharge "
            "planning."
        ),
        5: _(
            "Works with nurses, pharmacists and case managers and spots system issues that "
            "affect safety."
        ),
    },
    "SA": {
        1: _("Often unaware of who is on the team, what is pending or what changed overnight."),
        3: _("Knows the team, the patient list, pending results and overnight events by rounds."),
        5: _(
            "Anticipates problems, raises safety concerns early and keeps the team's picture "
            "current."
        ),
    },
}


@dataclass(frozen=True)
class CompetencyInfo:
    code: str
    name: str
    short_name: str
    anchors: dict[int, Any]


def competencies() -> list[CompetencyInfo]:
    """The seven rated competencies in display order, named from the reference data."""
    rows = Competency.objects.filter(
        Q(framework="ACGME_CORE_COMPETENCY", code__in=COMPETENCY_CODES[:-1])
        | Q(framework="MATCHWAY", code="SA")
    ).only("code", "name")
    names = {row.code: row.name for row in rows}
    return [
        CompetencyInfo(
            code=code,
            name=names.get(code, FALLBACK_NAMES[code]),
            short_name=str(SHORT_NAMES[code]),
            anchors=ANCHORS[code],
        )
        for code in COMPETENCY_CODES
    ]


@dataclass
class EvaluationInput:
    """Parsed form values. `ratings` maps code → 1–5 or None (not observed); a missing
    code means "not answered yet" (allowed in a draft, not in a submission)."""

    ratings: dict[str, int | None] = field(default_factory=dict)
    strengths: str = ""
    areas_to_grow: str = ""
    would_write_letter: bool | None = None
    # Confidential: the program's only (never shown to the applicant).
    recommendation: str = ""
    confidential_comments: str = ""

    def narratives(self) -> dict[str, str]:
        """Every free-text field, for the PHI guard (confidential comments included)."""
        return {
            "strengths": self.strengths,
            "areas_to_grow": self.areas_to_grow,
            "confidential_comments": self.confidential_comments,
        }


def parse_rating(raw: object) -> int | None:
    """'1'…'5' → int, 'na' → None; anything else → ValueError."""
    text = str(raw if raw is not None else "").strip()
    if text == NOT_OBSERVED:
        return None
    if text.isdigit() and int(text) in RATING_CHOICES:
        return int(text)
    raise ValueError(text)


def _validate(evaluation: Evaluation, values: EvaluationInput, *, complete: bool) -> None:
    errors: dict[str, list[str]] = {}
    for code in values.ratings:
        if code not in COMPETENCY_CODES:
            errors[f"rating_{code}"] = [str(_("Unknown competency."))]
    for code, value in values.ratings.items():
        if value is not None and value not in RATING_CHOICES:
            errors[f"rating_{code}"] = [str(_("Choose 1 to 5, or not observed."))]
    for name, text in values.narratives().items():
        if len(text) > MAX_NARRATIVE:
            errors[name] = [str(_("Keep each narrative under 4,000 characters."))]
    if values.recommendation and values.recommendation not in Recommendation.values:
        errors["recommendation"] = [str(_("Choose one of the answers."))]
    if complete:
        for code in COMPETENCY_CODES:
            if code not in values.ratings:
                errors[f"rating_{code}"] = [str(_("Choose a rating, or not observed."))]
        if evaluation.kind == EvaluationKind.PRECEPTOR:
            if not values.strengths.strip():
                errors["strengths"] = [str(_("Describe at least one strength."))]
            if values.recommendation not in Recommendation.values:
                errors["recommendation"] = [str(_("Choose a recommendation."))]
            if values.would_write_letter is None:
                errors["would_write_letter"] = [str(_("Choose an answer."))]
    if errors:
        raise ValidationFailed(errors=errors)


def _evaluator_email(evaluation: Evaluation) -> str:
    if evaluation.evaluator is not None:
        return evaluation.evaluator.email
    return evaluation.evaluator_email


def _evaluator_name(evaluation: Evaluation) -> str:
    if evaluation.evaluator is not None:
        return evaluation.evaluator.full_name
    return evaluation.evaluator_name


def _send_request(evaluation: Evaluation, *, reminder: bool) -> None:
    """Email the evaluator a link: their sign-in page, or a fresh secret link.

    A secret link's raw token is never stored, so each reminder issues a new token and
    revokes the previous one (only the newest email's link works).
    """
    if evaluation.evaluator is not None:
        link = absolute_url("experience:evaluation-edit", evaluation.pk)
    else:
        issued = token_issue(
            purpose=TOKEN_PURPOSE, target=evaluation, ttl=TOKEN_TTL, state=TOKEN_STATE
        )
        link = absolute_url("experience:evaluation-external", issued.raw)
    application = evaluation.application
    email_send(
        to=[_evaluator_email(evaluation)],
        template="evaluation_reminder" if reminder else "evaluation_request",
        context={
            "evaluator_name": _evaluator_name(evaluation),
            "applicant_name": application.applicant.full_name,
            "rotation_title": application.session.rotation.title,
            "session": application.session,
            "phase": evaluation.get_phase_display(),
            "link": link,
            "external": evaluation.evaluator is None,
            "expires_days": TOKEN_TTL.days,
        },
    )


def _require_evaluator(
    actor: User | None, evaluation: Evaluation, token: OneTimeToken | None
) -> None:
    if token is not None:
        if (
            token.purpose != TOKEN_PURPOSE
            or token.target_type != evaluation._meta.label_lower
            or token.target_id != str(evaluation.pk)
        ):
            raise AccessDenied()
        return
    if actor is None or evaluation.evaluator_id != actor.pk:
        raise AccessDenied()


def effective_evaluation(root: Evaluation, addenda: Iterable[Evaluation]) -> Evaluation:
    """The version that counts: the newest submitted addendum, else the original."""
    submitted = [a for a in addenda if a.submitted_at is not None]
    if not submitted:
        return root
    return max(submitted, key=lambda a: (a.submitted_at, a.pk))


@dataclass(frozen=True)
class CompositeRow:
    code: str
    name: str
    mean: float | None
    minimum: int | None
    maximum: int | None
    stdev: float | None
    raters: int
    not_observed: int

    @property
    def spread(self) -> int | None:
        if self.minimum is None or self.maximum is None:
            return None
        return self.maximum - self.minimum


def composite_ratings(
    ratings: Iterable[Mapping[str, int | None]], infos: Iterable[CompetencyInfo]
) -> list[CompositeRow]:
    """Per competency: mean, range and population standard deviation of the 1–5 ratings,
    how many raters observed it and how many marked it not observed. Pure."""
    all_ratings = list(ratings)
    rows: list[CompositeRow] = []
    for info in infos:
        values = [r[info.code] for r in all_ratings if isinstance(r.get(info.code), int)]
        values_int = [int(v) for v in values if v is not None]
        not_observed = sum(1 for r in all_ratings if info.code in r and r[info.code] is None)
        rows.append(
            CompositeRow(
                code=info.code,
                name=info.short_name,
                mean=round(statistics.fmean(values_int), 2) if values_int else None,
                minimum=min(values_int) if values_int else None,
                maximum=max(values_int) if values_int else None,
                stdev=round(statistics.pstdev(values_int), 2) if values_int else None,
                raters=len(values_int),
                not_observed=not_observed,
            )
        )
    return rows
