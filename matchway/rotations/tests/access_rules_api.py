"""Authorization matrix rows for the rotations JSON API (booking core).

Unknown ids answer 404 for roles that may call an operation; other roles get 403 before
any lookup (so they learn nothing about which ids exist).
"""

from __future__ import annotations

from tests.access import Rule

API_RULES = {
    "rotations_rotation_list": Rule.public(),
    "rotations_rotation_get": Rule.public(kwargs={"slug": "no-such-rotation"}),
    "rotations_session_get": Rule.public(kwargs={"session_id": 999999}),
    "rotations_application_create": Rule.only(
        "applicant", method="post", kwargs={"session_id": 999999}, body={}
    ),
    "rotations_application_list_mine": Rule.signed_in(),
    "rotations_application_withdraw": Rule.signed_in(
        method="post",
        kwargs={"application_id": 999999},
        body={},
        note="Only the owner; everyone else gets 404 (hidden means 404).",
    ),
    "rotations_application_decide": Rule.only(
        "coordinator", method="post", kwargs={"application_id": 999999}, body={"action": "accept"}
    ),
    "rotations_application_confirm": Rule.only(
        "coordinator", method="post", kwargs={"application_id": 999999}, body={}
    ),
}

# Money (issue #16, part B).
API_RULES["rotations_application_refund_quote"] = Rule.signed_in(
    kwargs={"application_id": 999999},
    note="The owner and coordinators; everyone else gets 404 (hidden means 404).",
)
