"""Authorization matrix rows for messaging.

The conversation and its attachments answer 404 to everyone who may not see the
application — anonymous visitors included (hidden means 404, and an id reveals nothing) —
so they are classified `public` here: the matrix checks that anonymous is not sent to the
login page; `test_access.py` checks the 404s person by person.
"""

from __future__ import annotations

from tests.access import Rule

URL_RULES = {
    "messaging:inbox": Rule.signed_in(note="Each person sees only their own conversations."),
    "messaging:thread": Rule.public(
        kwargs={"pk": 999999}, note="Participants only; everyone else, anonymous too, 404."
    ),
    "messaging:attachment": Rule.public(
        kwargs={"pk": 999999}, note="Participants only; everyone else, anonymous too, 404."
    ),
    "messaging:assign": Rule.only("coordinator", method="post", kwargs={"pk": 999999}),
}

API_RULES = {
    "messaging_message_list": Rule.signed_in(
        kwargs={"application_id": 999999}, note="Participants only; others 404."
    ),
    "messaging_message_create": Rule.signed_in(
        method="post",
        kwargs={"application_id": 999999},
        body={"body": "Hello"},
        note="Participants only; others 404.",
    ),
}
