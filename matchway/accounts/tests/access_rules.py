from tests.access import Rule

URL_RULES = {
    "accounts:profile": Rule.signed_in(),
    "accounts:export": Rule.signed_in(method="post"),
    "accounts:delete": Rule.signed_in(),
    "accounts:api-tokens": Rule.signed_in(),
    "accounts:api-token-revoke": Rule.signed_in(method="post", kwargs={"pk": 999999}),
    "accounts:invitations": Rule.only("coordinator"),
    "accounts:invitation-resend": Rule.only("coordinator", method="post", kwargs={"pk": 999999}),
    "accounts:people": Rule.only("coordinator"),
    "accounts:person-deactivate": Rule.only("coordinator", kwargs={"pk": 999999}),
    "accounts:person-reactivate": Rule.only("coordinator", method="post", kwargs={"pk": 999999}),
    # Act only on the sign-up waiting in this browser session; otherwise a neutral page.
    "accounts:verification-resend": Rule.public(method="post"),
    "accounts:verification-change": Rule.public(),
    "accounts:invitation-accept": Rule.token(kwargs={"token": "not-a-real-token"}),
}
API_RULES = {
    "accounts_me_get": Rule.signed_in(),
    "accounts_me_export": Rule.signed_in(),
    "accounts_me_update": Rule.signed_in(method="patch", body={"full_name": "Same Name"}),
}
