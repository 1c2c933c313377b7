"""Matrix rows for the program side: applicant pages (other roles 403; other applicants'
targets 404 — the ids below belong to nobody); the shared list is also the coordinators'."""

from __future__ import annotations

from tests.access import Rule

A = ("applicant",)
PK = {"pk": 999999}

URL_RULES: dict[str, Rule] = {
    "eras:programs": Rule.only(*A),
    "eras:program-add": Rule.only(*A),
    "eras:program-import": Rule.only(*A),
    "eras:program-export": Rule.only(*A),
    "eras:shared-list": Rule.only("applicant", "coordinator"),
    "eras:shared-add": Rule.only("coordinator"),
    "eras:shared-copy": Rule.only(*A, kwargs=PK, method="post"),
    # Coordinators curate the shared list; applicants and preceptors get 403 (role_required).
    "eras:shared-edit": Rule.only("coordinator", kwargs=PK),
    "eras:shared-delete": Rule.only("coordinator", kwargs=PK, method="post"),
    "eras:program-detail": Rule.only(*A, kwargs=PK),
    "eras:program-edit": Rule.only(*A, kwargs=PK),
    "eras:program-delete": Rule.only(*A, kwargs=PK, method="post"),
    "eras:target-status": Rule.only(*A, kwargs=PK, method="post"),
    "eras:target-signal": Rule.only(*A, kwargs=PK, method="post"),
    "eras:target-notes": Rule.only(*A, kwargs=PK, method="post"),
    "eras:target-statement": Rule.only(*A, kwargs=PK, method="post"),
    "eras:target-letter-add": Rule.only(*A, kwargs=PK, method="post"),
    "eras:target-letter-remove": Rule.only(
        *A, kwargs={"pk": 999999, "assignment_id": 1}, method="post"
    ),
    "eras:readiness": Rule.only(*A),
}
API_RULES: dict[str, Rule] = {
    "eras_target_list": Rule.only(*A),
    "eras_target_create": Rule.only(
        *A,
        method="post",
        body={"acgme_id": "1403599999", "name": "Matrix IM", "specialty": "140", "state": "NY"},
    ),
    "eras_target_get": Rule.only(*A, kwargs={"target_id": 999999}),
    "eras_target_update": Rule.only(
        *A, kwargs={"target_id": 999999}, method="patch", body={"notes": "x"}
    ),
    "eras_target_delete": Rule.only(*A, kwargs={"target_id": 999999}, method="delete"),
    "eras_program_import": Rule.only(*A, method="post"),
    "eras_readiness_get": Rule.only(*A),
}
