"""Authorization matrix entry for the consent page (see tests/access.py)."""

from tests.access import Rule

URL_RULES = {
    "accounts:consent": Rule.signed_in(note="nothing owed: redirects to next"),
}
API_RULES: dict[str, Rule] = {}
