"""Writes for the statement workbench: versions, normalization, reviewers, comments, exports.

Every service takes the acting user as `actor=` and checks ownership itself (a statement
that is not the actor's is `NotFound`: hidden means 404). `ip=` is only passed on to the
audit log. Split by sub-domain; import from here.
"""

from .checks import (
    SYNC_ANALYSIS_MAX_CHARS,
    AnalysisOutcome,
    analysis_key,
    text_analyze,
    version_analysis,
    version_analyze_now,
)
from .common import MAX_BODY_CHARS, MSG_ARCHIVED, MSG_TOO_LONG, clean_body, count_words
from .exports import PlainTextExport, statement_export_record, statement_plain_text
from .reviews import (
    MAX_COMMENT_CHARS,
    MAX_INVITATIONS_PER_DAY,
    REVIEW_DAYS_CHOICES,
    REVIEW_DAYS_DEFAULT,
    review_comment_add,
    review_comment_reopen,
    review_comment_resolve,
    review_invitation_complete,
    review_invitation_create,
    review_invitation_resend,
    review_invitation_revoke,
    review_invitation_viewed,
)
from .versions import (
    AUTOSAVE_COALESCE,
    NormalizeResult,
    SaveResult,
    statement_archive,
    statement_create,
    statement_duplicate,
    statement_normalize,
    statement_save,
    statement_unarchive,
    statement_update,
    statement_version_restore,
)

__all__ = [
    "AUTOSAVE_COALESCE",
    "MAX_BODY_CHARS",
    "MAX_COMMENT_CHARS",
    "MAX_INVITATIONS_PER_DAY",
    "MSG_ARCHIVED",
    "MSG_TOO_LONG",
    "REVIEW_DAYS_CHOICES",
    "REVIEW_DAYS_DEFAULT",
    "SYNC_ANALYSIS_MAX_CHARS",
    "AnalysisOutcome",
    "NormalizeResult",
    "PlainTextExport",
    "SaveResult",
    "analysis_key",
    "clean_body",
    "count_words",
    "review_comment_add",
    "review_comment_reopen",
    "review_comment_resolve",
    "review_invitation_complete",
    "review_invitation_create",
    "review_invitation_resend",
    "review_invitation_revoke",
    "review_invitation_viewed",
    "statement_archive",
    "statement_create",
    "statement_duplicate",
    "statement_export_record",
    "statement_normalize",
    "statement_plain_text",
    "statement_save",
    "statement_unarchive",
    "statement_update",
    "statement_version_restore",
    "text_analyze",
    "version_analysis",
    "version_analyze_now",
]
