"""Exports: ERAS-ready plain text (normalized, limit-checked) and the download audit."""

from __future__ import annotations

from dataclasses import dataclass

from matchway.accounts.models import User
from matchway.core.audit import audit_record

from .. import analysis
from ..models import Statement, StatementVersion
from ..selectors import statement_max_chars, version_latest
from .common import check_owner


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
    check_owner(actor, statement)
    audit_record(
        actor=actor,
        action="statement.exported",
        target=statement,
        data={"format": fmt, "version": version},
        ip=ip,
    )
