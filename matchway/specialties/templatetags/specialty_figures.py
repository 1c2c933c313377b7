from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value: float | int | str | None, unit: str = "") -> str:
    """A figure as printed: "not available" when the data has none (never 0)."""
    if value is None or value == "":
        return _("not available")
    return f"{intcomma(value)}{unit}"
