"""Authorization matrix rows for the rotations HTML pages (catalog, applicant, coordinator,
preceptor, calendar). Unknown ids answer 404 for roles that may open the page; other roles
get 403 from `role_required` before any lookup.
"""

from __future__ import annotations

from tests.access import Rule

_PK = {"pk": 999999}


def _coordinator_post(**kw: object) -> Rule:
    return Rule.only("coordinator", method="post", **kw)  # type: ignore[arg-type]


URL_RULES = {
    # public
    "rotations:catalog": Rule.public(),
    "rotations:detail": Rule.public(kwargs={"slug": "no-such-rotation"}),
    "calendar:feed": Rule.token(kwargs={"token": "not-a-real-token"}),
    # applicant
    "rotations:apply": Rule.only("applicant", kwargs={"session_id": 999999}),
    "rotations:applications": Rule.only("applicant"),
    "rotations:application": Rule.only("applicant", kwargs=_PK),
    "rotations:application-withdraw": Rule.only("applicant", kwargs=_PK),
    "rotations:application-ics": Rule.only("applicant", kwargs=_PK),
    "rotations:calendar": Rule.only("applicant"),
    "rotations:calendar-revoke": Rule.only("applicant", method="post"),
    # preceptor
    "rotations:teaching": Rule.only("preceptor"),
    "rotations:teaching-session": Rule.only("preceptor", kwargs=_PK),
    "rotations:teaching-document": Rule.only("preceptor", kwargs=_PK),
    # coordinator: catalog management
    "rotations:manage": Rule.only("coordinator"),
    "rotations:manage-capacity": Rule.only("coordinator"),
    "rotations:manage-sites": Rule.only("coordinator"),
    "rotations:manage-site-create": Rule.only("coordinator"),
    "rotations:manage-site-edit": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-rotations": Rule.only("coordinator"),
    "rotations:manage-rotation-create": Rule.only("coordinator"),
    "rotations:manage-preview": _coordinator_post(),
    "rotations:manage-rotation": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-rotation-edit": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-rotation-publish": _coordinator_post(kwargs=_PK),
    "rotations:manage-rotation-arrival": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-session-arrival": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-session-create": _coordinator_post(kwargs=_PK),
    "rotations:manage-session-series": _coordinator_post(kwargs=_PK),
    "rotations:manage-session": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-session-capacity": _coordinator_post(kwargs=_PK),
    "rotations:manage-session-status": _coordinator_post(kwargs=_PK),
    "rotations:manage-session-cancel": _coordinator_post(kwargs=_PK),
    "rotations:manage-session-csv": Rule.only("coordinator", kwargs=_PK),
    # coordinator: review
    "rotations:review-queue": Rule.only("coordinator"),
    "rotations:review-queue-csv": Rule.only("coordinator"),
    "rotations:review-bulk": _coordinator_post(),
    "rotations:review": Rule.only("coordinator", kwargs=_PK),
    "rotations:review-decide": _coordinator_post(kwargs=_PK),
    "rotations:review-payment": _coordinator_post(kwargs=_PK),
    "rotations:review-confirm": _coordinator_post(kwargs=_PK),
    "rotations:review-extend": _coordinator_post(kwargs=_PK),
    "rotations:review-progress": _coordinator_post(kwargs=_PK),
    "rotations:review-cancel": _coordinator_post(kwargs=_PK),
}
