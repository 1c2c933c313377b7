from tests.access import Rule

URL_RULES = {
    "documents:download": Rule.signed_in(kwargs={"pk": 999999}),
}
