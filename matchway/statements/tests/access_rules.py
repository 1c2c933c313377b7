"""Authorization matrix entries for the statement workbench (tests/test_authorization_matrix.py).

Applicant pages: other roles get 403, other applicants 404 (the ids below do not belong to
any persona). Reviewer links: any bogus token answers the neutral 404.
"""

from tests.access import Rule

APPLICANT = ("applicant",)
PK = {"pk": 999999}
VERSION = {"pk": 999999, "number": 1}

URL_RULES = {
    "statements:list": Rule.only(*APPLICANT),
    "statements:create": Rule.only(*APPLICANT),
    "statements:editor": Rule.only(*APPLICANT, kwargs=PK),
    "statements:settings": Rule.only(*APPLICANT, kwargs=PK),
    "statements:autosave": Rule.only(*APPLICANT, kwargs=PK, method="post"),
    "statements:save": Rule.only(*APPLICANT, kwargs=PK, method="post"),
    "statements:normalize": Rule.only(*APPLICANT, kwargs=PK, method="post"),
    "statements:analysis": Rule.only(*APPLICANT, kwargs=PK),
    "statements:versions": Rule.only(*APPLICANT, kwargs=PK),
    "statements:version": Rule.only(*APPLICANT, kwargs=VERSION),
    "statements:version-restore": Rule.only(*APPLICANT, kwargs=VERSION, method="post"),
    "statements:invite": Rule.only(*APPLICANT, kwargs=VERSION),
    "statements:compare": Rule.only(*APPLICANT, kwargs=PK),
    "statements:duplicate": Rule.only(*APPLICANT, kwargs=PK, method="post"),
    "statements:archive": Rule.only(*APPLICANT, kwargs=PK, method="post"),
    "statements:unarchive": Rule.only(*APPLICANT, kwargs=PK, method="post"),
    "statements:export": Rule.only(*APPLICANT, kwargs=PK),
    "statements:export-text": Rule.only(*APPLICANT, kwargs=PK),
    "statements:export-pdf": Rule.only(*APPLICANT, kwargs=PK),
    "statements:reviews": Rule.only(*APPLICANT, kwargs=PK),
    "statements:invitation-revoke": Rule.only(
        *APPLICANT, kwargs={"pk": 999999, "invitation_id": 1}, method="post"
    ),
    "statements:invitation-resend": Rule.only(
        *APPLICANT, kwargs={"pk": 999999, "invitation_id": 1}, method="post"
    ),
    "statements:comment-resolve": Rule.only(
        *APPLICANT, kwargs={"pk": 999999, "comment_id": 1}, method="post"
    ),
    "statements:comment-reopen": Rule.only(
        *APPLICANT, kwargs={"pk": 999999, "comment_id": 1}, method="post"
    ),
    "statements:review": Rule.token(kwargs={"token": "not-a-real-token"}),
    "statements:review-done": Rule.token(kwargs={"token": "not-a-real-token"}, method="post"),
    "statements:review-requests": Rule.signed_in(),
    "statements:review-signed-in": Rule.signed_in(kwargs={"invitation_id": 999999}),
    "statements:review-signed-in-done": Rule.signed_in(
        kwargs={"invitation_id": 999999}, method="post"
    ),
}

API_RULES = {
    "statements_statement_analyze": Rule.signed_in(
        method="post", body={"text": "I completed an observership in internal medicine."}
    ),
}
