from tests.access import Rule

URL_RULES = {
    "home": Rule.public(),
    "dashboard": Rule.signed_in(),
    "home:audit-log": Rule.only("coordinator"),
}
