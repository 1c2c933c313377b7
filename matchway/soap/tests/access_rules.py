"""Authorization matrix rows for Match Week and SOAP. Everything but the schedule is the
applicant's own week: other roles get the neutral 404 (the list must never be shared)."""

from __future__ import annotations

from tests.access import Rule

PK = {"pk": 999999}

URL_RULES: dict[str, Rule] = {}

API_RULES: dict[str, Rule] = {
    "soap_schedule_get": Rule.public(),
    "soap_list_import": Rule.only("applicant", method="post"),
    "soap_list_programs": Rule.only("applicant"),
    "soap_list_delete": Rule.only("applicant", method="delete"),
    "soap_application_list": Rule.only("applicant"),
    "soap_application_create": Rule.only(
        "applicant", method="post", body={"program_code": "9999999C0"}
    ),
    "soap_application_send": Rule.only(
        "applicant", method="post", kwargs={"application_id": 999999}
    ),
    "soap_offer_list": Rule.only("applicant"),
    "soap_offer_create": Rule.only(
        "applicant", method="post", body={"program_code": "9999999C0", "round": 1}
    ),
    "soap_offer_accept": Rule.only("applicant", method="post", kwargs={"offer_id": 999999}),
    "soap_offer_decline": Rule.only("applicant", method="post", kwargs={"offer_id": 999999}),
}
