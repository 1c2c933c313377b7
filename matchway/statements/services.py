"""Writes for the statement workbench: versions, normalization, reviewers, comments, exports.

Every service takes the acting user as `actor=` and checks ownership itself (a statement
that is not the actor's is `NotFound`: hidden means 404). `ip=` is only passed on to the
audit log. Version numbers are assigned under a row lock on the statement, so two
autosaves racing from two tabs cannot both take number N+1.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    InvalidTransition,
    NotFound,
    RateLimited,
    ValidationFailed,
)
from matchway.core.locking import lock_for_update
from matchway.core.tasks import enqueue_on_commit
from matchway.core.tokens import token_issue, token_revoke_for
from matchway.reference.models import Specialty

from . import analysis
from .models import (
    AnalysisState,
    ReviewComment,
    ReviewInvitation,
    Statement,
    StatementVersion,
    VersionSource,
)
from .selectors import (
    REVIEW_TOKEN_PURPOSE,
    REVIEW_TOKEN_STATE,
    analysis_inputs,
    find_quote,
    statement_max_chars,
    version_latest,
)

logger = logging.getLogger(__name__)

# The API's limit too: far above ERAS's 28,000 so a long draft can still be saved and cut.
MAX_BODY_CHARS = 100_000
MAX_COMMENT_CHARS = 4000
MAX_QUOTE_CHARS = 2000
# Consecutive autosaves less than this apart rewrite the newest autosave version instead
# of piling up one version per pause in typing.
AUTOSAVE_COALESCE = timedelta(minutes=2)
# Measured (bench/statement_analyze.py): ~0.2 s at 28,000 characters, ~0.35 s at 40,000,
# ~1 s at 100,000. Up to this size the page waits; above it a task runs and the page polls.
SYNC_ANALYSIS_MAX_CHARS = 40_000
STALE_PENDING = timedelta(minutes=5)
REVIEW_DAYS_DEFAULT = 14
REVIEW_DAYS_CHOICES = (7, 14, 30)
# Emails go to addresses the applicant types: cap how many one person can trigger.
MAX_INVITATIONS_PER_DAY = 20
MAX_COMMENTS_PER_INVITATION = 300

MSG_TOO_LONG = _(
    "The text is longer than %(max)s characters and cannot be saved. Shorten it first; "
    "your text is still in the editor."
)
MSG_ARCHIVED = _("This statement is archived. Restore it from the archive to edit it.")
MSG_QUOTE_NOT_FOUND = _(
    "We could not find that text in the statement. Copy a short passage exactly as it is "
    "written, or leave the quote empty for a general comment."
)
MSG_COMMENT_EMPTY = _("Write your comment.")
MSG_COMMENT_TOO_LONG = _("A comment can be at most %(max)s characters.")
MSG_INVITE_SELF = _("You cannot invite yourself; invite a preceptor, adviser or friend.")
MSG_INVITE_EMAIL = _("Enter the reviewer's email address.")
MSG_INVITE_NAME = _("Enter the reviewer's name.")
MSG_INVITE_LIMIT = _("You have sent many invitations today. Please try again tomorrow.")
MSG_COMMENT_LIMIT = _("This review already has the maximum number of comments.")
MSG_NO_TEXT = _("Write something first: there is no text to share yet.")
MSG_TITLE_REQUIRED = _("Give the statement a title (only you see it).")


def _check_owner(actor: User, statement: Statement) -> None:
    if statement.applicant_id != actor.pk:
        raise NotFound()


def _check_editable(statement: Statement) -> None:
    if statement.archived_at is not None:
        raise InvalidTransition(MSG_ARCHIVED)


def clean_body(body: str) -> str:
    """Browsers send textarea newlines as CRLF; store LF so counts match what ERAS counts."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > MAX_BODY_CHARS:
        raise ValidationFailed(
            MSG_TOO_LONG % {"max": f"{MAX_BODY_CHARS:,}"},
            errors={"body": [str(MSG_TOO_LONG % {"max": f"{MAX_BODY_CHARS:,}"})]},
        )
    return body


def count_words(text: str) -> int:
    # Same rule as the analyser: whitespace-separated tokens with a letter or digit.
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def _touch(statement: Statement, now: Any) -> None:
    Statement.objects.filter(pk=statement.pk).update(updated_at=now)
    statement.updated_at = now


def _new_version(
    statement: Statement,
    latest: StatementVersion | None,
    *,
    body: str,
    source: str,
    now: Any,
    **extra: Any,
) -> StatementVersion:
    """Create version N+1. Caller holds the statement's row lock (numbering is max + 1)."""
    version = StatementVersion.objects.create(
        statement=statement,
        number=(latest.number if latest else 0) + 1,
        body=body,
        source=source,
        characters=len(body),
        words=count_words(body),
        created_at=now,
        updated_at=now,
        **extra,
    )
    _touch(statement, now)
    return version


# --- statements --------------------------------------------------------------------------


def statement_create(
    *,
    actor: User,
    title: str,
    specialty: Specialty | None = None,
    program_label: str = "",
    body: str = "",
    ip: str | None = None,
) -> Statement:
    """Create a statement (and version 1 when `body` has text). Applicants only."""
    if not actor.is_applicant:
        raise NotFound()
    title = title.strip()
    if not title:
        raise ValidationFailed(errors={"title": [str(MSG_TITLE_REQUIRED)]})
    body = clean_body(body)
    now = timezone.now()
    with transaction.atomic():
        statement = Statement.objects.create(
            applicant=actor,
            title=title[:120],
            specialty=specialty,
            program_label=program_label.strip()[:200],
        )
        if body.strip():
            _new_version(statement, None, body=body, source=VersionSource.MANUAL, now=now)
        audit_record(actor=actor, action="statement.created", target=statement, ip=ip)
    return statement


def statement_update(
    *,
    actor: User,
    statement: Statement,
    title: str,
    specialty: Specialty | None,
    program_label: str,
    ip: str | None = None,
) -> Statement:
    _check_owner(actor, statement)
    title = title.strip()
    if not title:
        raise ValidationFailed(errors={"title": [str(MSG_TITLE_REQUIRED)]})
    statement.title = title[:120]
    statement.specialty = specialty
    statement.program_label = program_label.strip()[:200]
    statement.save(update_fields=["title", "specialty", "program_label", "updated_at"])
    audit_record(
        actor=actor,
        action="statement.updated",
        target=statement,
        data={"specialty": specialty.pk if specialty else None},
        ip=ip,
    )
    return statement


@dataclass(frozen=True)
class SaveResult:
    version: StatementVersion | None
    created: bool = False
    changed: bool = False
    conflict: bool = False


def statement_save(
    *,
    actor: User,
    statement: Statement,
    body: str,
    source: str = VersionSource.AUTOSAVE,
    base_number: int | None = None,
    ip: str | None = None,
) -> SaveResult:
    """Save the editor's text as a version. Nothing is ever overwritten that a person saved.

    - Unchanged text creates nothing (a manual save of an autosaved text pins that
      version as `manual`, so later autosaves cannot rewrite it).
    - An autosave less than AUTOSAVE_COALESCE after the previous autosave rewrites that
      autosave version in place, unless it was shared with a reviewer.
    - `base_number` is the version the editor started from. When another tab saved since,
      the text becomes a new version (never merged into the other tab's) and
      `conflict=True` tells the editor to say so.

    Opens its own transaction and locks the statement row (numbering). Raises NotFound,
    InvalidTransition (archived) and ValidationFailed (too long).
    """
    _check_owner(actor, statement)
    body = clean_body(body)
    manual = source != VersionSource.AUTOSAVE
    now = timezone.now()
    with transaction.atomic():
        locked = lock_for_update(Statement, [statement.pk])[statement.pk]
        _check_editable(locked)
        latest = version_latest(locked)
        current = latest.number if latest else 0
        conflict = base_number is not None and base_number != current
        if latest is not None and latest.body == body:
            if manual and latest.source == VersionSource.AUTOSAVE:
                latest.source = VersionSource.MANUAL
                latest.save(update_fields=["source"])
                audit_record(
                    actor=actor,
                    action="statement.version_saved",
                    target=locked,
                    data={"version": latest.number, "pinned": True},
                    ip=ip,
                )
            return SaveResult(latest)
        if latest is None and not body.strip():
            return SaveResult(None)
        coalesce = (
            not manual
            and not conflict
            and latest is not None
            and latest.source == VersionSource.AUTOSAVE
            and latest.updated_at >= now - AUTOSAVE_COALESCE
            and not latest.invitations.exists()
        )
        if coalesce and latest is not None:
            latest.body = body
            latest.characters = len(body)
            latest.words = count_words(body)
            latest.updated_at = now
            latest.save(update_fields=["body", "characters", "words", "updated_at"])
            _touch(locked, now)
            return SaveResult(latest, created=False, changed=True)
        version = _new_version(locked, latest, body=body, source=source, now=now)
        if manual or conflict:
            audit_record(
                actor=actor,
                action="statement.version_saved",
                target=locked,
                data={"version": version.number, "source": source, "conflict": conflict},
                ip=ip,
            )
    return SaveResult(version, created=True, changed=True, conflict=conflict)


def _visible(text: str) -> str:
    """A readable name for changed characters that are invisible or look alike."""
    if text and all(not ch.isspace() and unicodedata.category(ch)[0] not in "CZM" for ch in text):
        return text
    names = (unicodedata.name(ch, f"U+{ord(ch):04X}").lower() for ch in text)
    return " + ".join(dict.fromkeys(names))


@dataclass(frozen=True)
class NormalizeResult:
    version: StatementVersion | None
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def created(self) -> bool:
        return bool(self.changes)


def statement_normalize(
    *,
    actor: User,
    statement: Statement,
    body: str | None = None,
    base_number: int | None = None,
    ip: str | None = None,
) -> NormalizeResult:
    """Make the current text ERAS-plain-text safe as a new `normalized` version.

    When the editor sends its text (`body`), that text is saved first as a manual version,
    so nothing typed since the last autosave is lost. The changes (before, after, reason,
    surrounding text) are stored on the version and shown as a list. No changes → no
    version. Raises like `statement_save`.
    """
    if body is not None:
        statement_save(
            actor=actor,
            statement=statement,
            body=body,
            source=VersionSource.MANUAL,
            base_number=base_number,
            ip=ip,
        )
    _check_owner(actor, statement)
    now = timezone.now()
    with transaction.atomic():
        locked = lock_for_update(Statement, [statement.pk])[statement.pk]
        _check_editable(locked)
        latest = version_latest(locked)
        if latest is None:
            return NormalizeResult(None)
        text, changes = analysis.normalize_plain_text(latest.body)
        if not changes or text == latest.body:
            return NormalizeResult(latest)
        original = latest.body
        stored = [
            {
                "before": c.before,
                "before_label": _visible(c.before),
                "after": c.after,
                "after_label": _visible(c.after) if c.after else "",
                "reason": c.reason,
                "context_before": original[max(0, c.start - 30) : c.start],
                "context_after": original[c.end : c.end + 30],
            }
            for c in changes[:1000]
        ]
        version = _new_version(
            locked, latest, body=text, source=VersionSource.NORMALIZED, now=now, changes=stored
        )
        audit_record(
            actor=actor,
            action="statement.normalized",
            target=locked,
            data={"version": version.number, "changes": len(changes)},
            ip=ip,
        )
    return NormalizeResult(version, stored)


def statement_version_restore(
    *, actor: User, statement: Statement, number: int, ip: str | None = None
) -> StatementVersion:
    """Copy an earlier version's text into a new version (history stays intact)."""
    _check_owner(actor, statement)
    now = timezone.now()
    with transaction.atomic():
        locked = lock_for_update(Statement, [statement.pk])[statement.pk]
        _check_editable(locked)
        source_version = locked.versions.filter(number=number).first()
        if source_version is None:
            raise NotFound()
        latest = version_latest(locked)
        version = _new_version(
            locked,
            latest,
            body=source_version.body,
            source=VersionSource.RESTORED,
            now=now,
            restored_from=number,
        )
        audit_record(
            actor=actor,
            action="statement.version_restored",
            target=locked,
            data={"version": version.number, "from": number},
            ip=ip,
        )
    return version


def statement_duplicate(*, actor: User, statement: Statement, ip: str | None = None) -> Statement:
    """A new statement with the same settings and the current text as its version 1.

    Typical use: a program-specific copy of a general statement. Reviewer comments and
    invitations stay with the original.
    """
    _check_owner(actor, statement)
    now = timezone.now()
    title = str(_("Copy of %(title)s") % {"title": statement.title})[:120]
    with transaction.atomic():
        copy = Statement.objects.create(
            applicant=actor,
            title=title,
            specialty=statement.specialty,
            program_label=statement.program_label,
            duplicated_from=statement,
        )
        latest = version_latest(statement)
        if latest is not None:
            _new_version(copy, None, body=latest.body, source=VersionSource.DUPLICATE, now=now)
        audit_record(
            actor=actor,
            action="statement.duplicated",
            target=copy,
            data={"from": statement.pk, "version": latest.number if latest else None},
            ip=ip,
        )
    return copy


def statement_archive(*, actor: User, statement: Statement, ip: str | None = None) -> bool:
    """Hide a statement from the main list. Compare-and-set: False if it already was."""
    _check_owner(actor, statement)
    now = timezone.now()
    updated = Statement.objects.filter(pk=statement.pk, archived_at__isnull=True).update(
        archived_at=now, updated_at=now
    )
    if updated:
        statement.archived_at = now
        audit_record(actor=actor, action="statement.archived", target=statement, ip=ip)
    return bool(updated)


def statement_unarchive(*, actor: User, statement: Statement, ip: str | None = None) -> bool:
    _check_owner(actor, statement)
    now = timezone.now()
    updated = Statement.objects.filter(pk=statement.pk, archived_at__isnull=False).update(
        archived_at=None, updated_at=now
    )
    if updated:
        statement.archived_at = None
        audit_record(actor=actor, action="statement.unarchived", target=statement, ip=ip)
    return bool(updated)


# --- analysis ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _analyzer_fingerprint() -> str:
    """Changes whenever the analyser's code or word lists change, so stored results expire."""
    digest = hashlib.sha256()
    folder = Path(analysis.__file__).resolve().parent
    for path in sorted(folder.iterdir()):
        if path.suffix in (".py", ".txt") and path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def analysis_key(body: str, inputs: dict[str, Any]) -> str:
    payload = {
        "analyzer": _analyzer_fingerprint(),
        "body": hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest(),
        **inputs,
    }
    encoded = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class AnalysisOutcome:
    state: str  # done | pending | failed
    result: dict[str, Any] | None = None
    inputs: dict[str, Any] = field(default_factory=dict)


def _run_analysis(body: str, inputs: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = analysis.analyze(body, **inputs).as_dict()
    return result


def version_analysis(
    *, version: StatementVersion, inputs: dict[str, Any] | None = None
) -> AnalysisOutcome:
    """The analysis of `version` for the statement's current settings, stored on the row.

    A stored result whose key matches is reused. Otherwise texts up to
    SYNC_ANALYSIS_MAX_CHARS are analysed at once; longer ones are marked `pending` and
    `statement_analyze_task` is enqueued after commit (the page polls). An analyser error
    is logged and reported as `failed`: the editor keeps working without findings.
    """
    inputs = inputs if inputs is not None else analysis_inputs(version.statement)
    key = analysis_key(version.body, inputs)
    if version.analysis_key == key:
        if version.analysis_state == AnalysisState.DONE and version.analysis is not None:
            return AnalysisOutcome(AnalysisState.DONE, version.analysis, inputs)
        if version.analysis_state == AnalysisState.FAILED:
            return AnalysisOutcome(AnalysisState.FAILED, None, inputs)
    if len(version.body) <= SYNC_ANALYSIS_MAX_CHARS:
        try:
            result = _run_analysis(version.body, inputs)
        except Exception:  # the analyser is a separate package; never lose the editor to it
            logger.exception("statement analysis failed for version %s", version.pk)
            return AnalysisOutcome(AnalysisState.FAILED, None, inputs)
        _store_analysis(version, key=key, result=result)
        return AnalysisOutcome(AnalysisState.DONE, result, inputs)
    now = timezone.now()
    fresh_pending = (
        version.analysis_key == key
        and version.analysis_state == AnalysisState.PENDING
        and version.analysis_at is not None
        and version.analysis_at > now - STALE_PENDING
    )
    if not fresh_pending:
        StatementVersion.objects.filter(pk=version.pk).update(
            analysis_key=key, analysis_state=AnalysisState.PENDING, analysis=None, analysis_at=now
        )
        version.analysis_key, version.analysis_state = key, AnalysisState.PENDING
        version.analysis, version.analysis_at = None, now
        from .tasks import statement_analyze_task  # tasks imports this module

        enqueue_on_commit(statement_analyze_task, version.pk)
    return AnalysisOutcome(AnalysisState.PENDING, None, inputs)


def _store_analysis(version: StatementVersion, *, key: str, result: dict[str, Any]) -> None:
    # update(), not save(): an autosave may be rewriting the body of this row right now.
    now = timezone.now()
    StatementVersion.objects.filter(pk=version.pk).update(
        analysis=result, analysis_key=key, analysis_state=AnalysisState.DONE, analysis_at=now
    )
    version.analysis, version.analysis_key = result, key
    version.analysis_state, version.analysis_at = AnalysisState.DONE, now


def version_analyze_now(*, version_id: int) -> str:
    """Task body: analyse one version and store the result. Idempotent; returns the state."""
    version = (
        StatementVersion.objects.select_related("statement__specialty")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return "missing"
    inputs = analysis_inputs(version.statement)
    key = analysis_key(version.body, inputs)
    if version.analysis_key == key and version.analysis_state == AnalysisState.DONE:
        return AnalysisState.DONE
    try:
        result = _run_analysis(version.body, inputs)
    except Exception:
        logger.exception("statement analysis task failed for version %s", version.pk)
        StatementVersion.objects.filter(pk=version.pk, analysis_key=key).update(
            analysis_state=AnalysisState.FAILED, analysis_at=timezone.now()
        )
        return AnalysisState.FAILED
    _store_analysis(version, key=key, result=result)
    return AnalysisState.DONE


def text_analyze(
    *, text: str, specialty: Specialty | None, graduation_year: int | None
) -> dict[str, Any]:
    """Analyse text that is not stored (the JSON API). Nothing is written."""
    return _run_analysis(
        text,
        {
            "max_chars": statement_max_chars(),
            "specialty_name": specialty.name if specialty else None,
            "graduation_year": graduation_year,
            "current_year": timezone.localdate().year,
        },
    )


# --- reviewers ---------------------------------------------------------------------------


def _review_link(raw: str) -> str:
    return settings.SITE_URL + reverse("statements:review", args=[raw])


def _send_invitation(invitation: ReviewInvitation, raw: str, actor: User) -> None:
    version = invitation.version
    statement = version.statement
    email_send(
        to=[invitation.reviewer_email],
        template="statement_review_invite",
        context={
            "invitation": invitation,
            "applicant_name": actor.get_full_name(),
            # Never the statement's title: ERAS titles are private to the applicant.
            "specialty": statement.specialty.name if statement.specialty else "",
            "version": version,
            "link": _review_link(raw),
        },
        reply_to=[actor.email],
    )


def review_invitation_create(
    *,
    actor: User,
    version: StatementVersion,
    email: str = "",
    name: str = "",
    reviewer: User | None = None,
    message: str = "",
    days: int = REVIEW_DAYS_DEFAULT,
    ip: str | None = None,
) -> ReviewInvitation:
    """Invite someone to review exactly this version through an expiring link.

    The reviewer is a known user (`reviewer`, e.g. a preceptor from the applicant's
    rotations) or anyone by `email`; an email that belongs to an account is linked to it,
    so the person also finds the review when signed in. The link is emailed after commit
    (reply-to: the applicant). Raises NotFound, InvalidTransition (archived),
    ValidationFailed, RateLimited.
    """
    statement = version.statement
    _check_owner(actor, statement)
    _check_editable(statement)
    if not version.body.strip():
        raise ValidationFailed(MSG_NO_TEXT)
    if reviewer is not None:
        email, name = reviewer.email, name.strip() or reviewer.get_full_name()
    email = email.strip().lower()
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = [str(MSG_INVITE_EMAIL)]
    elif email == actor.email.lower():
        errors["email"] = [str(MSG_INVITE_SELF)]
    if not name:
        errors["name"] = [str(MSG_INVITE_NAME)]
    if errors:
        raise ValidationFailed(errors=errors)
    since = timezone.now() - timedelta(days=1)
    if (
        ReviewInvitation.objects.filter(invited_by=actor, created_at__gte=since).count()
        >= MAX_INVITATIONS_PER_DAY
    ):
        raise RateLimited(MSG_INVITE_LIMIT)
    if reviewer is None:
        reviewer = User.objects.filter(email__iexact=email, is_active=True).first()
    days = days if days in REVIEW_DAYS_CHOICES else REVIEW_DAYS_DEFAULT
    ttl = timedelta(days=days)
    with transaction.atomic():
        invitation = ReviewInvitation.objects.create(
            version=version,
            invited_by=actor,
            reviewer=reviewer,
            reviewer_email=email,
            reviewer_name=name[:150],
            message=message.strip()[:2000],
            expires_at=timezone.now() + ttl,
        )
        issued = token_issue(
            purpose=REVIEW_TOKEN_PURPOSE, target=invitation, ttl=ttl, state=REVIEW_TOKEN_STATE
        )
        _send_invitation(invitation, issued.raw, actor)
        audit_record(
            actor=actor,
            action="statement_review.invited",
            target=invitation,
            data={
                "statement": statement.pk,
                "version": version.number,
                "reviewer": reviewer.pk if reviewer else None,
                "days": days,
            },
            ip=ip,
        )
    return invitation


def review_invitation_resend(
    *, actor: User, invitation: ReviewInvitation, ip: str | None = None
) -> ReviewInvitation:
    """Email a fresh link (the old one stops working) valid for REVIEW_DAYS_DEFAULT days."""
    _check_owner(actor, invitation.version.statement)
    if invitation.revoked_at is not None:
        raise InvalidTransition()
    ttl = timedelta(days=REVIEW_DAYS_DEFAULT)
    with transaction.atomic():
        invitation.expires_at = timezone.now() + ttl
        invitation.save(update_fields=["expires_at"])
        issued = token_issue(
            purpose=REVIEW_TOKEN_PURPOSE, target=invitation, ttl=ttl, state=REVIEW_TOKEN_STATE
        )
        _send_invitation(invitation, issued.raw, actor)
        audit_record(actor=actor, action="statement_review.resent", target=invitation, ip=ip)
    return invitation


def review_invitation_revoke(
    *, actor: User, invitation: ReviewInvitation, ip: str | None = None
) -> bool:
    """Kill the reviewer's link at once. Compare-and-set; comments already made stay."""
    _check_owner(actor, invitation.version.statement)
    now = timezone.now()
    with transaction.atomic():
        updated = ReviewInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        token_revoke_for(purpose=REVIEW_TOKEN_PURPOSE, target=invitation)
        if updated:
            invitation.revoked_at = now
            audit_record(actor=actor, action="statement_review.revoked", target=invitation, ip=ip)
    return bool(updated)


def review_invitation_viewed(
    *, invitation: ReviewInvitation, viewer: Any = None, ip: str | None = None
) -> None:
    """Record that the reviewer opened the version (every view is audited)."""
    now = timezone.now()
    if invitation.first_viewed_at is None:
        ReviewInvitation.objects.filter(pk=invitation.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=now
        )
        invitation.first_viewed_at = now
    audit_record(
        actor=viewer,
        action="statement_review.viewed",
        target=invitation,
        data={"reviewer_email": invitation.reviewer_email, "version": invitation.version.number},
        ip=ip,
    )


def _author_name(invitation: ReviewInvitation, author: Any) -> str:
    if isinstance(author, User) and author.is_authenticated:
        return author.get_full_name() or invitation.reviewer_name
    return invitation.reviewer_name


def review_comment_add(
    *,
    invitation: ReviewInvitation,
    author: Any,
    body: str,
    quote: str = "",
    start: int | None = None,
    end: int | None = None,
    ip: str | None = None,
) -> ReviewComment:
    """A reviewer's comment on the invited version, anchored to a text range.

    The range comes from a selection (`start`/`end`, checked against the version's text)
    or from a pasted `quote` (no JavaScript): found exactly, then ignoring whitespace and
    typography. No quote and no range: a general comment. Raises ValidationFailed,
    NotFound for a dead invitation.
    """
    if not invitation.is_live:
        raise NotFound()
    body = body.strip()
    if not body:
        raise ValidationFailed(errors={"body": [str(MSG_COMMENT_EMPTY)]})
    if len(body) > MAX_COMMENT_CHARS:
        message = str(MSG_COMMENT_TOO_LONG % {"max": MAX_COMMENT_CHARS})
        raise ValidationFailed(errors={"body": [message]})
    text = invitation.version.body
    anchor_start: int | None = None
    anchor_end: int | None = None
    if start is not None and end is not None and 0 <= start < end <= len(text):
        selected = text[start:end]
        if not quote.strip() or " ".join(quote.split()) == " ".join(selected.split()):
            # Trim the selection to its text: a double-click often takes a trailing space.
            anchor_start = start + (len(selected) - len(selected.lstrip()))
            anchor_end = end - (len(selected) - len(selected.rstrip()))
    if anchor_start is None and quote.strip():
        found = find_quote(text, quote[: MAX_QUOTE_CHARS * 2], hint=start or 0)
        if not found.found:
            raise ValidationFailed(errors={"quote": [str(MSG_QUOTE_NOT_FOUND)]})
        anchor_start, anchor_end = found.start, found.end
    if anchor_start is not None and anchor_end is not None:
        anchor_end = min(anchor_end, anchor_start + MAX_QUOTE_CHARS)
    quoted = text[anchor_start:anchor_end] if anchor_start is not None else ""
    with transaction.atomic():
        locked = lock_for_update(ReviewInvitation, [invitation.pk])
        if not locked or invitation.comments.count() >= MAX_COMMENTS_PER_INVITATION:
            raise ValidationFailed(MSG_COMMENT_LIMIT)
        comment = ReviewComment.objects.create(
            invitation=invitation,
            version=invitation.version,
            author=author if isinstance(author, User) and author.is_authenticated else None,
            author_name=_author_name(invitation, author)[:150],
            anchor_start=anchor_start,
            anchor_end=anchor_end,
            quote=quoted,
            body=body,
        )
        audit_record(
            actor=author,
            action="statement_comment.created",
            target=comment,
            data={"invitation": invitation.pk, "reviewer_email": invitation.reviewer_email},
            ip=ip,
        )
    return comment


def review_invitation_complete(
    *, invitation: ReviewInvitation, author: Any, ip: str | None = None
) -> bool:
    """The reviewer says they are done: the applicant gets one email. Compare-and-set."""
    if not invitation.is_live:
        raise NotFound()
    now = timezone.now()
    with transaction.atomic():
        updated = ReviewInvitation.objects.filter(
            pk=invitation.pk, completed_at__isnull=True
        ).update(completed_at=now)
        if not updated:
            return False  # race: already completed (double click, two tabs)
        invitation.completed_at = now
        statement = invitation.version.statement
        applicant = statement.applicant
        email_send(
            to=[applicant.email],
            template="statement_review_done",
            context={
                "applicant_name": applicant.get_short_name(),
                "reviewer_name": invitation.reviewer_name,
                "version": invitation.version,
                "comment_count": invitation.comments.count(),
                "link": settings.SITE_URL + reverse("statements:reviews", args=[statement.pk]),
            },
        )
        audit_record(actor=author, action="statement_review.completed", target=invitation, ip=ip)
    return True


def review_comment_resolve(*, actor: User, comment: ReviewComment, ip: str | None = None) -> bool:
    _check_owner(actor, comment.version.statement)
    now = timezone.now()
    updated = ReviewComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )
    if updated:
        comment.resolved_at, comment.resolved_by = now, actor
        audit_record(actor=actor, action="statement_comment.resolved", target=comment, ip=ip)
    return bool(updated)


def review_comment_reopen(*, actor: User, comment: ReviewComment, ip: str | None = None) -> bool:
    _check_owner(actor, comment.version.statement)
    updated = ReviewComment.objects.filter(pk=comment.pk, resolved_at__isnull=False).update(
        resolved_at=None, resolved_by=None
    )
    if updated:
        comment.resolved_at, comment.resolved_by = None, None
        audit_record(actor=actor, action="statement_comment.reopened", target=comment, ip=ip)
    return bool(updated)


# --- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlainTextExport:
    text: str
    changes: int
    characters: int
    max_chars: int
    version: StatementVersion | None

    @property
    def over_limit(self) -> bool:
        return self.characters > self.max_chars

    @property
    def over_by(self) -> int:
        return max(0, self.characters - self.max_chars)


def statement_plain_text(statement: Statement) -> PlainTextExport:
    """The current text made plain-text safe (not stored), with the season's limit check."""
    latest = version_latest(statement)
    body = latest.body if latest else ""
    text, changes = analysis.normalize_plain_text(body)
    text = text.strip() + "\n" if text.strip() else ""
    return PlainTextExport(
        text=text,
        changes=len(changes),
        characters=len(text.rstrip("\n")),
        max_chars=statement_max_chars(),
        version=latest,
    )


def statement_export_record(
    *, actor: User, statement: Statement, fmt: str, version: int | None, ip: str | None = None
) -> None:
    """Audit a download of the statement (text or PDF)."""
    _check_owner(actor, statement)
    audit_record(
        actor=actor,
        action="statement.exported",
        target=statement,
        data={"format": fmt, "version": version},
        ip=ip,
    )
