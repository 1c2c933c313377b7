"""Statements and their versions: create, save (autosave coalescing), normalize,
restore, duplicate, archive.

Version numbers are assigned under a row lock on the statement, so two autosaves racing
from two tabs cannot both take number N+1.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import NotFound, ValidationFailed
from matchway.core.locking import lock_for_update
from matchway.reference.models import Specialty

from .. import analysis
from ..models import Statement, StatementVersion, VersionSource
from ..selectors import version_latest
from .common import check_editable, check_owner, clean_body, count_words

# Consecutive autosaves less than this apart rewrite the newest autosave version instead
# of piling up one version per pause in typing.
AUTOSAVE_COALESCE = timedelta(minutes=2)
MSG_TITLE_REQUIRED = _("Give the statement a title (only you see it).")


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
    now = clock.now()
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
    check_owner(actor, statement)
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
    check_owner(actor, statement)
    body = clean_body(body)
    manual = source != VersionSource.AUTOSAVE
    now = clock.now()
    with transaction.atomic():
        locked = lock_for_update(Statement, [statement.pk])[statement.pk]
        check_editable(locked)
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
        if (
            conflict
            and not manual
            and locked.versions.filter(number__gte=base_number, body=body).exists()
        ):
            # A late autosave replaying text already saved at or after its base (the blur
            # that comes with clicking "Fix for ERAS plain text" or "Save version"): nothing
            # new was typed, the text is kept already, and a newer version (e.g. the fix)
            # must stay the newest.
            return SaveResult(latest)
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
    check_owner(actor, statement)
    now = clock.now()
    with transaction.atomic():
        locked = lock_for_update(Statement, [statement.pk])[statement.pk]
        check_editable(locked)
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
    check_owner(actor, statement)
    now = clock.now()
    with transaction.atomic():
        locked = lock_for_update(Statement, [statement.pk])[statement.pk]
        check_editable(locked)
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
    check_owner(actor, statement)
    now = clock.now()
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
    check_owner(actor, statement)
    now = clock.now()
    updated = Statement.objects.filter(pk=statement.pk, archived_at__isnull=True).update(
        archived_at=now, updated_at=now
    )
    if updated:
        statement.archived_at = now
        audit_record(actor=actor, action="statement.archived", target=statement, ip=ip)
    return bool(updated)


def statement_unarchive(*, actor: User, statement: Statement, ip: str | None = None) -> bool:
    check_owner(actor, statement)
    now = clock.now()
    updated = Statement.objects.filter(pk=statement.pk, archived_at__isnull=False).update(
        archived_at=None, updated_at=now
    )
    if updated:
        statement.archived_at = None
        audit_record(actor=actor, action="statement.unarchived", target=statement, ip=ip)
    return bool(updated)
