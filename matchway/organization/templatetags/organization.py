"""`{% organization_current as organization %}` for templates rendered outside a request
(emails: `core.email` may not import a domain app, so the layout asks for the provider)."""

from __future__ import annotations

from django import template

from ..models import Organization, PolicyKind
from ..selectors import organization_current as _organization_current

register = template.Library()


@register.simple_tag
def organization_current() -> Organization:
    return _organization_current()


@register.simple_tag
def policy_links() -> list[tuple[str, str]]:
    """(kind, label) of every policy page, in footer order."""
    return [(str(kind), str(label)) for kind, label in PolicyKind.choices]
