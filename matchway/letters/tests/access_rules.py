from tests.access import Rule

PK = {"pk": 999999}
TOKEN = {"token": "not-a-real-token"}

URL_RULES = {
    # Applicant pages and actions
    "letters:request-list": Rule.only("applicant"),
    "letters:request-create": Rule.only("applicant"),
    "letters:compose-guidance": Rule.only("applicant"),
    "letters:compose-message": Rule.only("applicant"),
    "letters:request-detail": Rule.only("applicant", kwargs=PK),
    "letters:request-edit": Rule.only("applicant", kwargs=PK),
    "letters:request-send": Rule.only("applicant", kwargs=PK, method="post"),
    "letters:request-withdraw": Rule.only("applicant", kwargs=PK, method="post"),
    "letters:request-nudge": Rule.only("applicant", kwargs=PK, method="post"),
    "letters:request-renew": Rule.only("applicant", kwargs=PK, method="post"),
    "letters:request-brag-sheet": Rule.only("applicant", kwargs={**PK, "fmt": "pdf"}),
    "letters:request-letter": Rule.only("applicant", kwargs=PK),
    "letters:assignments": Rule.only("applicant"),
    "letters:assignment-delete": Rule.only("applicant", kwargs=PK, method="post"),
    # Coordinators: status of requests; letters only when routed to them
    "letters:coordinator-list": Rule.only("coordinator"),
    "letters:coordinator-letter": Rule.only("coordinator", kwargs=PK),
    # Writers with a preceptor account
    "letters:writing-list": Rule.only("preceptor"),
    "letters:writing-detail": Rule.only("preceptor", kwargs=PK),
    "letters:writing-brag-sheet": Rule.only("preceptor", kwargs={**PK, "fmt": "pdf"}),
    "letters:writing-attachment": Rule.only("preceptor", kwargs={**PK, "document_pk": 1}),
    "letters:writing-letter": Rule.only("preceptor", kwargs=PK),
    # Writers through the secret link: a bad link is the neutral 404 for everyone
    "letters:write": Rule.token(kwargs=TOKEN),
    "letters:write-brag-sheet": Rule.token(kwargs={**TOKEN, "fmt": "pdf"}),
    "letters:write-attachment": Rule.token(kwargs={**TOKEN, "document_pk": 1}),
    "letters:write-letter": Rule.token(kwargs=TOKEN),
    "letters:write-other": Rule.token(kwargs={"rest": "not-a-real-token/else/"}),
}

API_RULES = {
    "letters_request_list_mine": Rule.only("applicant"),
    # A valid body, so the role check (not schema validation) decides; it saves a draft.
    "letters_request_create": Rule.only(
        "applicant",
        method="post",
        body={
            "due_date": "2099-01-01",
            "waived": True,
            "writer_name": "Dr. Matrix Writer",
            "writer_email": "matrix-writer@example.org",
            "send": False,
        },
    ),
    "letters_request_get": Rule.only("applicant", kwargs={"request_id": 999999}),
    "letters_request_withdraw": Rule.only(
        "applicant", kwargs={"request_id": 999999}, method="post"
    ),
    "letters_request_nudge": Rule.only("applicant", kwargs={"request_id": 999999}, method="post"),
}
