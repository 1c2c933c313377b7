"""Template tags every app uses."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, number: int, query: QueryDict | str | None = None) -> str:
    """The query string for page `number`, keeping every other parameter (filters, search).

    `query` (a query string or QueryDict) is the base when a view passes one, e.g. the
    filters a POST re-rendered; otherwise the current request's GET parameters are.
    """
    if isinstance(query, QueryDict):
        params = query.copy()
    elif isinstance(query, str) and query:
        params = QueryDict(query, mutable=True)
    else:
        request: Any = context.get("request")
        params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params["page"] = str(number)
    return params.urlencode()


@register.filter
def audit_action(code: str) -> str:
    """An audit action code in words (`core.audit_labels.action_label`)."""
    from matchway.core.audit_labels import action_label

    return action_label(str(code))
