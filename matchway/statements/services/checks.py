"""The analyser's results stored on versions: inline for normal lengths, a task for very
long texts (the page polls). See docs/dev/statements.md, "Analysis".
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from matchway.core import clock
from matchway.core.tasks import enqueue_on_commit
from matchway.reference.models import Specialty

from .. import analysis
from ..models import AnalysisState, StatementVersion
from ..selectors import analysis_inputs, statement_max_chars

logger = logging.getLogger(__name__)

# Measured (bench/statement_analyze.py): ~0.2 s at 28,000 characters, ~0.35 s at 40,000,
# ~1 s at 100,000. Up to this size the page waits; above it a task runs and the page polls.
SYNC_ANALYSIS_MAX_CHARS = 40_000
STALE_PENDING = timedelta(minutes=5)


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
    now = clock.now()
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
        from ..tasks import statement_analyze_task  # tasks imports this module

        enqueue_on_commit(statement_analyze_task, version.pk)
    return AnalysisOutcome(AnalysisState.PENDING, None, inputs)


def _store_analysis(version: StatementVersion, *, key: str, result: dict[str, Any]) -> None:
    # update(), not save(): an autosave may be rewriting the body of this row right now.
    now = clock.now()
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
            analysis_state=AnalysisState.FAILED, analysis_at=clock.now()
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
            "current_year": clock.eastern_today().year,
        },
    )
