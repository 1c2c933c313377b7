"""Authorization matrix entries for the provider's pages (see tests/access.py)."""

from tests.access import Rule

URL_RULES = {
    "organization:policy": Rule.public(kwargs={"kind": "privacy"}),
    "organization:policy-versions": Rule.public(kwargs={"kind": "terms"}),
    # Hidden (no such version) answers 404 for everyone.
    "organization:policy-version": Rule.public(kwargs={"kind": "terms", "version": "999"}),
    "organization:logo": Rule.public(note="the logo is in every header; 404 while none"),
    "organization:manage": Rule.only("coordinator"),
    "organization:manage-page": Rule.only("coordinator", kwargs={"kind": "about"}),
}
API_RULES: dict[str, Rule] = {}
