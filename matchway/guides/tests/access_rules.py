"""Authorization matrix entries for the guides (see tests/access.py)."""

from tests.access import Rule

URL_RULES = {
    "guides:index": Rule.public(),
    "guides:feed": Rule.public(),
    "guides:tag": Rule.public(kwargs={"tag": "usce"}),
    "guides:detail": Rule.public(kwargs={"slug": "soap-for-imgs"}),
    "guides:manage": Rule.only("coordinator"),
    "guides:create": Rule.only("coordinator"),
    "guides:edit": Rule.only("coordinator", kwargs={"pk": 999999}),
    "guides:preview": Rule.only("coordinator", method="post"),
}
API_RULES = {
    "guides_article_list": Rule.public(),
    "guides_article_get": Rule.public(kwargs={"slug": "soap-for-imgs"}),
}
