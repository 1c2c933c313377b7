from tests.access import Rule

URL_RULES = {
    "documents:vault": Rule.only("applicant"),
    "documents:upload": Rule.only("applicant", method="post"),
    "documents:history": Rule.only("applicant", kwargs={"code": "passport"}),
    "documents:download": Rule.signed_in(kwargs={"pk": 999999}),
    "documents:review": Rule.only("coordinator"),
    "documents:verify": Rule.only("coordinator", method="post", kwargs={"pk": 999999}),
    "documents:verify-bulk": Rule.only("coordinator", method="post"),
    "documents:reject": Rule.only("coordinator", method="post", kwargs={"pk": 999999}),
}

API_RULES = {
    "documents_document_list_mine": Rule.signed_in(),
    "documents_document_create": Rule.only("applicant", method="post"),
}
