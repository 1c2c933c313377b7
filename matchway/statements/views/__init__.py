"""Statement workbench pages (thin): parse → one service or selector → render.

Applicant pages are `role_required("applicant")` and 404 for statements that are not the
user's own. Reviewer pages answer one neutral 404 for every bad link (see `reviews`).
"""

from .editor import analysis_status, autosave, editor, normalize, save_version
from .reviews import (
    comment_reopen,
    comment_resolve,
    invitation_resend,
    invitation_revoke,
    invite,
    review,
    review_done,
    review_requests,
    review_signed_in,
    review_signed_in_done,
    reviews,
)
from .statements import (
    archive,
    compare,
    duplicate,
    export,
    export_pdf,
    export_text,
    statement_create,
    statement_list,
    statement_settings,
    unarchive,
    version_detail,
    version_restore,
    versions,
)

__all__ = [
    "analysis_status",
    "archive",
    "autosave",
    "comment_reopen",
    "comment_resolve",
    "compare",
    "duplicate",
    "editor",
    "export",
    "export_pdf",
    "export_text",
    "invitation_resend",
    "invitation_revoke",
    "invite",
    "normalize",
    "review",
    "review_done",
    "review_requests",
    "review_signed_in",
    "review_signed_in_done",
    "reviews",
    "save_version",
    "statement_create",
    "statement_list",
    "statement_settings",
    "unarchive",
    "version_detail",
    "version_restore",
    "versions",
]
