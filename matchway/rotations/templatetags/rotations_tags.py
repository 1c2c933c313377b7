"""Template helpers for rotations pages: money, Markdown, status badges, query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchway.core.markdown import markdown_to_html
from matchway.rotations.models import ApplicationStatus

register = template.Library()

_STATUS_TONE: dict[str, str] = {
    ApplicationStatus.SUBMITTED: "",
    ApplicationStatus.WAITLISTED: "warn",
    ApplicationStatus.ACCEPTED: "warn",
    ApplicationStatus.CONFIRMED: "ok",
    ApplicationStatus.IN_PROGRESS: "ok",
    ApplicationStatus.COMPLETED: "ok",
    ApplicationStatus.DECLINED: "bad",
    ApplicationStatus.WITHDRAWN: "",
    ApplicationStatus.EXPIRED: "bad",
    ApplicationStatus.CANCELLED: "bad",
}
_DOC_TONE: dict[str, str] = {
    "verified": "ok",
    "uploaded": "warn",
    "expiring": "warn",
    "missing": "bad",
    "rejected": "bad",
    "expired": "bad",
    "erased": "bad",
}


@register.filter
def usd(cents: Any) -> str:
    """1250000 → "$12,500"; 125050 → "$1,250.50"."""
    try:
        value = int(cents)
    except (TypeError, ValueError):
        return ""
    dollars, rest = divmod(abs(value), 100)
    sign = "-" if value < 0 else ""
    if rest:
        return f"{sign}${dollars:,}.{rest:02d}"
    return f"{sign}${dollars:,}"


@register.filter
def markdown(text: str) -> SafeString:
    return markdown_to_html(text or "")


@register.filter
def status_tone(status: str) -> str:
    tone = _STATUS_TONE.get(status, "")
    return f"badge-{tone}" if tone else ""


@register.filter
def doc_tone(state: str) -> str:
    tone = _DOC_TONE.get(state, "")
    return f"badge-{tone}" if tone else ""


@register.filter
def status_label(status: str) -> str:
    try:
        return str(ApplicationStatus(status).label)
    except ValueError:
        return status or _("new")


@register.simple_tag
def query_with(query: QueryDict | str, **changes: Any) -> str:
    """The current query string with some keys replaced (None/"" removes the key)."""
    params = QueryDict(query, mutable=True) if isinstance(query, str) else query.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    return params.urlencode()


@register.simple_tag
def seats_badge(session: Any) -> SafeString:
    """The seats badge of a session: facts only ("3 of 4 seats open", "Full — waitlist 2").

    Reads the `seats_left`/`waitlist_count` annotations of `selectors_catalog.with_seats_left`
    (`seats_used` is `selectors.seat_filter`, the arithmetic booking recounts under its lock),
    so it costs no query. Never urgency wording or alarm colours (issue #19, honest scarcity):
    the same neutral style whether 1 or 10 seats are open. A tag, not an include: the catalog
    renders up to 80 of these per page.
    """
    left = getattr(session, "seats_left", None)
    if session.status == "closed":
        return format_html('<span class="badge">{}</span>', _("Closed"))
    if not session.accepts_applications:
        return format_html('<span class="badge">{}</span>', _("Applications closed"))
    if left is None:
        return format_html("")
    if left == 0:
        waiting = int(getattr(session, "waitlist_count", 0) or 0)
        text = _("Full — waitlist %(n)s") % {"n": waiting} if waiting else _("Full")
        note = (
            format_html(' <small class="muted">{}</small>', _("waitlist open"))
            if session.booking_mode == "instant" and not waiting
            else ""
        )
        return format_html('<span class="badge badge-seats">{}</span>{}', text, note)
    text = ngettext(
        "%(left)s of %(capacity)s seat open",
        "%(left)s of %(capacity)s seats open",
        session.capacity,
    ) % {"left": left, "capacity": session.capacity}
    return format_html('<span class="badge badge-seats">{}</span>', text)
