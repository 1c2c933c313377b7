"""Display values of the catalog page, computed once in Python for its Jinja2 template.

The catalog renders 20 cards of about 40 values each on every uncached request. Here each
card becomes a small frozen record of ready strings (URL, labels, prices, session dates and
seat badges), so the template (matchway/jinja2/rotations/catalog.jinja) only prints them.
The HTML is the same as the Django template's was (rotations/tests/test_catalog_render.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.forms import BoundField
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from markupsafe import Markup

from .catalog_sql import CatalogRow
from .forms import CatalogFilterForm
from .models import RotationKind
from .templatetags.rotations_tags import seats_badge, usd


@dataclass(frozen=True, slots=True)
class SessionChip:
    start_iso: str
    start_label: str  # "Dec 16"
    end_iso: str
    end_label: str  # "Jan 12, 2027"
    badge: SafeString


@dataclass(frozen=True, slots=True)
class Card:
    url: str
    title: str
    specialty_label: str
    kind_label: str
    hands_on: bool
    letter_possible: bool
    where: str  # "Bench Hospital 15 · City 15, AZ" or "… · Online"
    preceptors: str  # "Dr. A, Dr. B" ("" when none)
    price: str
    weeks_label: str
    sessions: tuple[SessionChip, ...]


@dataclass(frozen=True, slots=True)
class Control:
    """One filter field as the template prints it (Django's widget HTML, precomputed)."""

    id: str
    name: str
    label: str
    kind: str  # "input" or "select"
    input_type: str
    value: str  # the raw submitted value ("" when absent)
    attrs: tuple[tuple[str, str], ...]  # extra attributes, in Django's order
    options: tuple[tuple[str, str, bool], ...]  # (value, label, selected)
    errors: tuple[str, ...]


def _month_day(day: date, months: dict[int, str]) -> str:
    return f"{months[day.month]} {day.day}"


def rotation_cards(page: Page[CatalogRow]) -> list[Card]:
    """The page's rotations as cards (catalog_sql.py rows: no query)."""
    months = {n: str(label).title() for n, label in MONTHS_3.items()}
    online = _("Online")
    kinds = {value: str(label) for value, label in RotationKind.choices}
    detail = reverse("rotations:detail", args=["__slug__"])
    # A page of 20 cards shows up to 80 badges but few distinct ones: each is built once.
    badges: dict[tuple[Any, ...], SafeString] = {}
    weeks_labels: dict[int, str] = {}
    cards = []
    for rotation in page.object_list:
        if rotation.site_kind == "virtual":
            where = f"{rotation.site_name} · {online}"
        else:
            where = f"{rotation.site_name} · {rotation.site_city}, {rotation.state_code}"
        chips = []
        for s in rotation.upcoming:
            key = (
                s.status,
                s.accepts_applications,
                s.seats_left,
                s.waitlist_count,
                s.booking_mode,
                s.capacity,
            )
            badge = badges.get(key)
            if badge is None:
                badge = badges[key] = seats_badge(s)
            chips.append(
                SessionChip(
                    start_iso=s.start_date.isoformat(),
                    start_label=_month_day(s.start_date, months),
                    end_iso=s.end_date.isoformat(),
                    end_label=f"{_month_day(s.end_date, months)}, {s.end_date.year}",
                    badge=badge,
                )
            )
        weeks = weeks_labels.get(rotation.weeks)
        if weeks is None:
            weeks = weeks_labels[rotation.weeks] = ngettext(
                "for %(w)s week", "for %(w)s weeks", rotation.weeks
            ) % {"w": rotation.weeks}
        cards.append(
            Card(
                url=detail.replace("__slug__", rotation.slug),
                title=rotation.title,
                specialty_label=rotation.specialty_label,
                kind_label=kinds.get(rotation.kind, rotation.kind),
                hands_on=rotation.hands_on,
                letter_possible=rotation.letter_possible,
                where=where,
                preceptors=", ".join(rotation.preceptors),
                price=usd(rotation.price_cents),
                weeks_label=weeks,
                sessions=tuple(chips),
            )
        )
    return cards


def _raw(bound: BoundField) -> str:
    value = bound.value()
    return "" if value is None else str(value)


def filter_controls(form: CatalogFilterForm) -> list[Control]:
    """The filter form's fields with their submitted values, choices and errors."""
    controls = []
    for bound in form:
        widget: Any = bound.field.widget
        errors = tuple(str(e) for e in bound.errors)
        attrs = {
            str(k): str(v)
            for k, v in {**widget.attrs, **bound.field.widget_attrs(widget)}.items()
            if k != "type" and v is not None and v is not False
        }
        if errors:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{bound.auto_id}_error"
        value = _raw(bound)
        choices = getattr(bound.field, "choices", None)
        controls.append(
            Control(
                id=bound.auto_id,
                name=bound.html_name,
                label=str(bound.label),
                kind="select" if choices is not None else "input",
                input_type=str(getattr(widget, "input_type", "")),
                value=value,
                attrs=tuple(attrs.items()),
                options=tuple((str(v), str(label), str(v) == value) for v, label in choices or ()),
                errors=errors,
            )
        )
    return controls


def card_words() -> dict[str, Any]:
    """The words every card repeats, translated once per page rather than once per card."""
    return {
        "hands_on": _("Hands-on"),
        "no_contact": _("No patient contact"),
        "letter": _("Letter possible"),
        "where": _("Where"),
        "preceptors": _("Preceptors"),
        "price": _("Price"),
        "upcoming": _("Upcoming sessions"),
        "no_dates": _("No dates announced yet."),
        # The title is escaped when the template formats it into this markup.
        "details": Markup(  # noqa: S704 - our own constant markup
            _('Details and dates<span class="visually-hidden"> for %(title)s</span>')
        ),
    }
