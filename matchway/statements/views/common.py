"""Shared by the statement pages: access helpers and presentation of checks and comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.safestring import SafeString

from matchway.accounts.models import Role
from matchway.core.decorators import role_required

from .. import services
from ..analysis import normalize_plain_text, page_range
from ..diff import (
    ChangeGroup,
    DiffResult,
    FindingsView,
    comment_spans,
    findings_view,
    grouped_changes,
    highlight,
    word_diff,
)
from ..models import ReviewComment, Statement, StatementVersion
from ..selectors import (
    AnchoredComment,
    statement_get_for_user,
    statement_max_chars,
    version_get,
)

applicant_only = role_required(Role.APPLICANT)


def statement_or_404(request: HttpRequest, pk: int) -> Statement:
    statement = statement_get_for_user(user=request.user, pk=pk)
    if statement is None:
        raise Http404
    return statement


def version_or_404(statement: Statement, number: int) -> StatementVersion:
    version = version_get(statement, number)
    if version is None:
        raise Http404
    return version


# --- presentation ------------------------------------------------------------------------


@dataclass
class AnalysisPanel:
    """What the editor shows about the current text. `state`: empty|done|pending|failed."""

    state: str
    max_chars: int
    result: dict[str, Any] | None = None
    findings: FindingsView | None = None
    fixable: int = 0

    @property
    def characters(self) -> int:
        return int(self.result["characters"]) if self.result else 0

    @property
    def over_limit(self) -> bool:
        return self.characters > self.max_chars

    @property
    def page_range(self) -> tuple[float, float]:
        """Printed length in half pages, from characters (context only; ERAS counts characters)."""
        return page_range(self.characters)

    @property
    def pages_low(self) -> float:
        return self.page_range[0]

    @property
    def pages_high(self) -> float:
        return self.page_range[1]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.characters / self.max_chars)) if self.max_chars else 0


def analysis_panel(statement: Statement, version: StatementVersion | None) -> AnalysisPanel:
    max_chars = statement_max_chars()
    if version is None or not version.body.strip():
        return AnalysisPanel("empty", max_chars)
    outcome = services.version_analysis(version=version)
    fixable = len(normalize_plain_text(version.body)[1])
    if outcome.result is None:
        return AnalysisPanel(outcome.state, max_chars, fixable=fixable)
    findings = findings_view(version.body, outcome.result.get("findings", []))
    return AnalysisPanel(outcome.state, max_chars, outcome.result, findings, fixable)


def _comment_label(comment: ReviewComment) -> str:
    return f"{comment.author_name}: {comment.body[:160]}"


def comment_highlights(body: str, comments: list[ReviewComment]) -> SafeString:
    spans = comment_spans((c.anchor_start, c.anchor_end, c.pk, _comment_label(c)) for c in comments)
    return highlight(body, spans, id_prefix="c")


def anchored_highlights(body: str, items: list[AnchoredComment]) -> SafeString:
    spans = comment_spans(
        (
            i.anchor.start,
            i.anchor.end,
            i.comment.pk,
            f"{i.comment.author_name}: {i.comment.body[:160]}",
        )
        for i in items
    )
    return highlight(body, spans, id_prefix="c")


def changes_for(version: StatementVersion | None) -> list[ChangeGroup]:
    return grouped_changes(version.changes) if version is not None and version.changes else []


def version_diff(older: StatementVersion, newer: StatementVersion) -> DiffResult:
    return word_diff(older.body, newer.body)
