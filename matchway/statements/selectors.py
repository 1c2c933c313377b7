"""Reads for the statement workbench. Every `_for_user` selector filters by owner or
invitation, so a hidden object is simply not found (the caller answers 404)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from matchway.accounts.models import ApplicantProfile, User
from matchway.core import clock
from matchway.core.tokens import token_resolve
from matchway.experience.selectors import (
    JournalKind,
    rotation_preceptors_for_applicant,
    rotation_records_for_applicant,
)
from matchway.experience.text import phi_free_sentences, unique
from matchway.reference.eras import eras_fact

from .models import ReviewComment, ReviewInvitation, Statement, StatementVersion

REVIEW_TOKEN_PURPOSE = "statement_review"  # noqa: S105 - a token purpose label, not a secret
REVIEW_TOKEN_STATE = "open"  # noqa: S105 - the invitation state the token is bound to
MAX_MATERIAL_ITEMS = 8
MAX_SNIPPET_CHARS = 300


def statement_max_chars() -> int:
    """The season's ERAS limit, from the reference data (never a constant)."""
    return int(eras_fact("personal_statement.max_chars").value)


def _open_comment_count(outer: str) -> Coalesce:
    counts = (
        ReviewComment.objects.filter(version__statement=OuterRef(outer), resolved_at__isnull=True)
        .order_by()
        .values("version__statement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def statement_list_for_user(*, user: User, archived: bool = False) -> QuerySet[Statement]:
    """The user's own statements with the current version's size, in one query."""
    latest = StatementVersion.objects.filter(statement=OuterRef("pk")).order_by("-number")
    return (
        Statement.objects.filter(applicant=user, archived_at__isnull=not archived)
        .select_related("specialty")
        .annotate(
            current_number=Subquery(latest.values("number")[:1]),
            current_characters=Subquery(latest.values("characters")[:1]),
            current_words=Subquery(latest.values("words")[:1]),
            current_saved_at=Subquery(latest.values("updated_at")[:1]),
            open_comments=_open_comment_count("pk"),
        )
        .order_by("-updated_at", "-pk")
    )


def statement_get_for_user(*, user: Any, pk: int) -> Statement | None:
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return Statement.objects.select_related("specialty").filter(pk=pk, applicant=user).first()


def version_latest(statement: Statement) -> StatementVersion | None:
    return statement.versions.order_by("-number").first()


def version_get(statement: Statement, number: int) -> StatementVersion | None:
    return statement.versions.filter(number=number).first()


def version_list(statement: Statement) -> QuerySet[StatementVersion]:
    """Versions newest first, without bodies or analyses (the list never shows them)."""
    return (
        statement.versions.defer("body", "analysis", "changes")
        .annotate(
            comment_count=Count("comments", distinct=True),
            invitation_count=Count("invitations", distinct=True),
        )
        .order_by("-number")
    )


def other_program_labels(statement: Statement) -> list[str]:
    """Program labels of the applicant's other statements: names this draft should not use."""
    labels = (
        Statement.objects.filter(applicant_id=statement.applicant_id)
        .exclude(pk=statement.pk)
        .exclude(program_label="")
        .values_list("program_label", flat=True)
    )
    own = statement.program_label.strip().casefold()
    return sorted({label.strip() for label in labels if label.strip().casefold() != own})


def analysis_inputs(statement: Statement) -> dict[str, Any]:
    """Keyword arguments for `analysis.analyze` (everything except the text)."""
    profile = ApplicantProfile.objects.filter(user_id=statement.applicant_id).first()
    return {
        "max_chars": statement_max_chars(),
        "specialty_name": statement.specialty.name if statement.specialty else None,
        "graduation_year": profile.graduation_year if profile else None,
        "current_year": clock.eastern_today().year,
        "program_label": statement.program_label.strip() or None,
        "known_program_names": tuple(other_program_labels(statement)),
    }


# --- comments and their anchors in later drafts -------------------------------------------

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\t": " ",
    }
)


@dataclass(frozen=True)
class Anchor:
    """Where a comment's quoted text is in a body. `status`: exact | fuzzy | gone | general."""

    start: int | None
    end: int | None
    status: str

    @property
    def found(self) -> bool:
        return self.start is not None


def _nearest(matches: Iterable[tuple[int, int]], hint: int) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for span in matches:
        if best is None or abs(span[0] - hint) < abs(best[0] - hint):
            best = span
    return best


def find_quote(body: str, quote: str, *, hint: int = 0) -> Anchor:
    """Find `quote` in `body`: exactly first, then ignoring whitespace and typography.

    The second pass compares a same-length folded copy (curly quotes → straight, long
    dashes → "-", odd spaces → " "), so the offsets it reports are valid in `body` too.
    When the text occurs several times, the occurrence nearest `hint` wins.
    """
    quote = quote.strip()
    if not quote:
        return Anchor(None, None, "general")
    exact = _nearest(((m.start(), m.end()) for m in re.finditer(re.escape(quote), body)), hint)
    if exact is not None:
        return Anchor(exact[0], exact[1], "exact")
    words = quote.translate(_FOLD).split()
    # Long dashes may have become "--" after normalization: let a dash match one or two.
    pattern = r"\s+".join(re.escape(w).replace(r"\-", "-{1,2}") for w in words)
    folded = body.translate(_FOLD)
    fuzzy = _nearest(((m.start(), m.end()) for m in re.finditer(pattern, folded)), hint)
    if fuzzy is not None:
        return Anchor(fuzzy[0], fuzzy[1], "fuzzy")
    return Anchor(None, None, "gone")


def comment_anchor(comment: ReviewComment, body: str, *, version_id: int) -> Anchor:
    """Where `comment` sits in `body` (the version with id `version_id`)."""
    if not comment.quote:
        return Anchor(None, None, "general")
    start, end = comment.anchor_start, comment.anchor_end
    if (
        version_id == comment.version_id
        and start is not None
        and end is not None
        and body[start:end] == comment.quote
    ):
        return Anchor(start, end, "exact")
    return find_quote(body, comment.quote, hint=start or 0)


@dataclass
class AnchoredComment:
    comment: ReviewComment
    anchor: Anchor


def comment_list_for_statement(
    statement: Statement, *, current: StatementVersion | None
) -> list[AnchoredComment]:
    """Every reviewer comment on any version, anchored in the current draft."""
    comments = (
        ReviewComment.objects.filter(version__statement=statement)
        .select_related("version", "invitation", "resolved_by")
        .order_by("resolved_at", "created_at", "pk")
    )
    body = current.body if current else ""
    version_id = current.pk if current else 0
    return [AnchoredComment(c, comment_anchor(c, body, version_id=version_id)) for c in comments]


# --- reviewers --------------------------------------------------------------------------


def _live_invitations() -> QuerySet[ReviewInvitation]:
    return ReviewInvitation.objects.filter(
        revoked_at__isnull=True, expires_at__gt=clock.now()
    ).select_related("version__statement__specialty", "version__statement__applicant")


def review_invitation_from_token(raw: str) -> ReviewInvitation | None:
    """The live invitation behind a review link, or None for ANY failure (one neutral 404)."""
    record = token_resolve(raw, purpose=REVIEW_TOKEN_PURPOSE, state=REVIEW_TOKEN_STATE)
    if record is None or record.target_type != ReviewInvitation._meta.label_lower:
        return None
    return _live_invitations().filter(pk=record.target_id).first()


def review_invitation_get_for_reviewer(*, user: Any, pk: int) -> ReviewInvitation | None:
    """A signed-in reviewer's live invitation; anyone else gets None."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return _live_invitations().filter(pk=pk, reviewer=user).first()


def review_invitation_list_for_reviewer(*, user: User) -> QuerySet[ReviewInvitation]:
    return (
        _live_invitations()
        .filter(reviewer=user)
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at")
    )


def review_invitation_list_for_statement(statement: Statement) -> QuerySet[ReviewInvitation]:
    return (
        ReviewInvitation.objects.filter(version__statement=statement)
        .select_related("version", "reviewer")
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-pk")
    )


def review_invitation_get_for_applicant(
    *, statement: Statement, pk: int
) -> ReviewInvitation | None:
    return ReviewInvitation.objects.filter(pk=pk, version__statement=statement).first()


def review_comment_get_for_applicant(*, statement: Statement, pk: int) -> ReviewComment | None:
    return ReviewComment.objects.filter(pk=pk, version__statement=statement).first()


def review_comments_for_invitation(invitation: ReviewInvitation) -> QuerySet[ReviewComment]:
    return invitation.comments.order_by("anchor_start", "created_at", "pk")


def reviewer_candidates(*, user: User) -> QuerySet[User]:
    """Preceptors who taught the applicant (a rotation they booked) — invite by a click."""
    return rotation_preceptors_for_applicant(user)


# --- what to write from ------------------------------------------------------------------


@dataclass
class WritingMaterial:
    rotations: list[dict[str, Any]] = field(default_factory=list)
    reflections: list[dict[str, str]] = field(default_factory=list)
    strengths: list[dict[str, str]] = field(default_factory=list)
    dropped_for_privacy: int = 0

    @property
    def empty(self) -> bool:
        return not (self.rotations or self.reflections or self.strengths)


MAX_MATERIAL_ROTATIONS = 10
MAX_MATERIAL_REFLECTION_ENTRIES = 30
MAX_MATERIAL_EVALUATIONS = 20
# Shorter pieces ("Good.", "Yes") are no help as writing material.
MIN_SNIPPET_CHARS = 12


def writing_material_for_applicant(*, user: User) -> WritingMaterial:
    """The applicant's own rotations, journal reflections and evaluation strengths.

    Reads the rotation records (`experience.selectors.rotation_records_for_applicant`, a
    fixed number of queries) as the applicant: saved reflections only, and the current
    version of each submitted preceptor evaluation. Free text runs through the PHI filter
    sentence by sentence: the side panel is a writing aid, so losing a sentence to a false
    positive costs little, while a patient identifier copied into a statement would travel
    to every program.
    """
    material = WritingMaterial()
    dropped = [0]
    records = rotation_records_for_applicant(user, viewer=user)
    for record in records[:MAX_MATERIAL_ROTATIONS]:
        rotation = record.rotation
        material.rotations.append(
            {
                "title": rotation.title,
                "kind": rotation.get_kind_display(),
                "hands_on": rotation.hands_on,
                "specialty": rotation.specialty.name,
                "site": rotation.site.name,
                "start": record.session.start_date,
                "end": record.session.end_date,
                "status": record.application.get_status_display(),
            }
        )
    entries = sorted(
        (
            (entry, record.rotation.title)
            for record in records
            for entry in record.journal
            if entry.kind == JournalKind.REFLECTION
        ),
        key=lambda pair: (pair[0].entry_date, pair[0].pk),
        reverse=True,
    )[:MAX_MATERIAL_REFLECTION_ENTRIES]
    reflections = [
        {"text": sentence, "source": source}
        for entry, source in entries
        for sentence in _snippets(entry.data, dropped)
    ]
    material.reflections = unique(reflections, MAX_MATERIAL_ITEMS, key=_text_key)
    evaluations = sorted(
        (
            (evaluation.current, record.rotation.title)
            for record in records
            for evaluation in record.preceptor_evaluations
            if evaluation.current.strengths
        ),
        key=lambda pair: pair[0].submitted_at or pair[0].created_at,
        reverse=True,
    )[:MAX_MATERIAL_EVALUATIONS]
    strengths = [
        {"text": sentence, "source": source}
        for evaluation, source in evaluations
        for sentence in _snippets(evaluation.strengths, dropped)
    ]
    material.strengths = unique(strengths, MAX_MATERIAL_ITEMS, key=_text_key)
    material.dropped_for_privacy = dropped[0]
    return material


def _snippets(value: Any, dropped: list[int]) -> list[str]:
    return phi_free_sentences(
        value, dropped, min_chars=MIN_SNIPPET_CHARS, max_chars=MAX_SNIPPET_CHARS
    )


def _text_key(item: dict[str, str]) -> str:
    return item["text"].casefold()


# --- dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementSummary:
    statement: Statement | None
    characters: int
    max_chars: int
    open_comments: int
    active_count: int

    @property
    def over_limit(self) -> bool:
        return self.characters > self.max_chars

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.characters / self.max_chars)) if self.max_chars else 0


def statement_summary_for_applicant(*, user: User) -> StatementSummary:
    """The most recently edited active statement, for the dashboard panel (two queries)."""
    statements = statement_list_for_user(user=user)
    latest = statements.first()
    return StatementSummary(
        statement=latest,
        characters=getattr(latest, "current_characters", 0) or 0,
        max_chars=statement_max_chars(),
        open_comments=getattr(latest, "open_comments", 0) or 0,
        active_count=statements.count() if latest else 0,
    )


def pending_reviews_for_user(*, user: User) -> int:
    return (
        _live_invitations()
        .filter(reviewer=user, completed_at__isnull=True)
        .filter(Q(version__statement__archived_at__isnull=True))
        .count()
    )
