"""Authorization matrix rows for the season part (fees, signals, interviews, rank list).

The fee estimate is public (page and API). Everything else is the applicant's own: other
roles get 403, another applicant's ids answer 404 (the ids below belong to nobody)."""

from __future__ import annotations

from tests.access import Rule

A = ("applicant",)
PK = {"pk": 999999}

URL_RULES: dict[str, Rule] = {
    "eras:fees": Rule.public(),
    "eras:signals": Rule.only(*A),
    "eras:signal_set": Rule.only(*A, kwargs=PK, method="post", body={"signal": "gold"}),
    "eras:interview_list": Rule.only(*A),
    "eras:interview_create": Rule.only(*A),
    "eras:interview_edit": Rule.only(*A, kwargs=PK),
    "eras:interview_delete": Rule.only(*A, kwargs=PK, method="post"),
    "eras:interview_thank_you": Rule.only(*A, kwargs=PK, method="post"),
    "eras:interview_ics": Rule.only(*A, kwargs=PK),
    "eras:interviews_ics": Rule.only(*A),
    "eras:rank_list": Rule.only(*A),
    "eras:rank_list_change": Rule.only(*A, kwargs=PK, method="post", body={"action": "up"}),
    "eras:rank_list_order": Rule.only(*A, method="post", body={"order": ""}),
    "eras:rank_simulation": Rule.only(*A),
}

API_RULES: dict[str, Rule] = {
    "eras_fee_estimate": Rule.public(kwargs={"counts": "140:43,420:7"}),
    "eras_signal_list": Rule.signed_in(),
    "eras_signal_set": Rule.signed_in(
        kwargs={"target_id": 999999}, method="put", body={"signal": "gold"}
    ),
    "eras_interview_list": Rule.signed_in(),
    "eras_interview_get": Rule.signed_in(kwargs={"interview_id": 999999}),
}
