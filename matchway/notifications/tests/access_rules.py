"""Authorization matrix entries for notifications (tests/test_authorization_matrix.py).

Every signed-in person has their own list and settings; another person's notification
answers 404. The unsubscribe link is signed: a bogus token answers the neutral 404.
"""

from tests.access import Rule

URL_RULES = {
    "notifications:list": Rule.signed_in(),
    "notifications:read-all": Rule.signed_in(method="post"),
    "notifications:read": Rule.signed_in(kwargs={"pk": 999999}, method="post"),
    "notifications:preferences": Rule.signed_in(),
    "notifications:unsubscribe": Rule.token(
        kwargs={"token": "not-a-real-token", "category": "letters"}
    ),
}

API_RULES = {
    "notifications_notification_list": Rule.signed_in(),
    "notifications_notification_read": Rule.signed_in(method="post", body={"all": True}),
}
