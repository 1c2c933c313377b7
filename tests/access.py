"""Vocabulary for the authorization matrix (tests/test_authorization_matrix.py).

Every app lists its URL names and API operation ids in `<app>/tests/access_rules.py`:

    URL_RULES = {"rotations:catalog": Rule.public(), "accounts:profile": Rule.signed_in()}
    API_RULES = {"rotations_session_get": Rule.public(kwargs={"session_id": 1})}

A name that no app classifies fails the matrix test, so a new URL cannot ship unreviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("applicant", "preceptor", "coordinator")


@dataclass(frozen=True)
class Rule:
    kind: str  # public | signed_in | roles | token | external
    roles: tuple[str, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    method: str = "get"
    body: dict[str, Any] | None = None
    note: str = ""

    @classmethod
    def public(cls, **kw: Any) -> Rule:
        """Anyone, signed in or not (hidden objects still answer 404)."""
        return cls("public", **kw)

    @classmethod
    def signed_in(cls, **kw: Any) -> Rule:
        """Any signed-in person; anonymous is sent to the login page (API: 401)."""
        return cls("signed_in", **kw)

    @classmethod
    def only(cls, *roles: str, **kw: Any) -> Rule:
        """Only these roles; anonymous → login/401, other roles → 403 or 404."""
        unknown = set(roles) - set(ROLES)
        assert not unknown, unknown
        return cls("roles", roles=tuple(roles), **kw)

    @classmethod
    def token(cls, **kw: Any) -> Rule:
        """Reached through a secret link: a bogus token gets the neutral 404."""
        return cls("token", **kw)

    @classmethod
    def external(cls, note: str, **kw: Any) -> Rule:
        """Third-party flows (allauth, Django admin) with their own, tested, access rules."""
        return cls("external", note=note, **kw)
