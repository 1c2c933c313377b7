"""Markdown → safe HTML for guides: season facts, markdown-it-py, nh3, heading ids and a TOC.

Pipeline (order matters for safety):
1. `{{eras.<path>}}` placeholders become the season value, HTML-escaped and Markdown-escaped,
   so a value can never inject markup; unknown paths become a visible marker and a warning.
   `{{eras.<path>|season}}` becomes that fact's season label instead ("ERAS 2026"), so a fee
   or date in prose can name its season from the same data as the number.
2. markdown-it-py (CommonMark + tables + strikethrough) renders; `- [ ]` items become disabled
   checkboxes (guides.js turns them into a per-browser checklist).
3. nh3 sanitizes with an allow-list. Everything after this step only adds attributes we
   compute ourselves (heading ids) to nh3's normalized output.

Steps 2 and 3 are the shared pipeline in `matchway.core.markdown`; guides widen its
allow-list (images, task lists, definition lists …) and add the rest on top.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from matchway.core.markdown import (
    SanitizePolicy,
    html_plain_text,
    markdown_parser,
    sanitize_html,
)
from matchway.reference import eras

logger = logging.getLogger(__name__)

# Bump when the pipeline's output changes, so every cached article re-renders once.
RENDERER_VERSION = "4"

PLACEHOLDER = re.compile(
    r"\{\{\s*eras\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*(\|\s*season\s*)?\}\}"
)
UNKNOWN_MARKER = "[unknown fact]"

GUIDES_POLICY = SanitizePolicy(
    tags=frozenset({
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "label", "li", "mark",
        "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody",
        "td", "th", "thead", "tr", "ul",
    }),
    attributes={
        "a": frozenset({"href", "title"}),
        "abbr": frozenset({"title"}),
        "img": frozenset({"src", "alt", "title"}),
        "input": frozenset({"checked"}),
        "ol": frozenset({"start"}),
        "span": frozenset({"title"}),
        "th": frozenset({"align"}),
        "td": frozenset({"align"}),
    },
    classes={
        "li": frozenset({"task-list-item"}),
        "ul": frozenset({"contains-task-list"}),
        "ol": frozenset({"contains-task-list"}),
        "span": frozenset({"fact-unknown"}),
        "input": frozenset({"task-list-item-checkbox"}),
    },
    # Every <input> that survives is a disabled checkbox, whatever the author wrote.
    forced_attributes={"input": {"type": "checkbox", "disabled": ""}},
)  # fmt: skip

_HEADING = re.compile(r"<(h[2-6])>(.*?)</\1>", re.DOTALL)
_IMG = re.compile(r"<img\b([^>]*)>")
_ALT = re.compile(r'\balt="([^"]*)"')
# ASCII punctuation Markdown could act on; `&`, `#` and `;` stay because they form the
# entities html.escape() produced.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()+\-.!|~<>\"'])")


@dataclass(frozen=True)
class FactUse:
    path: str
    value: str
    season: str
    source: str
    status: str


@dataclass
class Rendered:
    html: str
    toc: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, str]] = field(default_factory=list)
    text: str = ""
    unknown: list[str] = field(default_factory=list)

    @property
    def seasons(self) -> list[str]:
        return season_labels(self.facts)


def season_labels(facts: list[dict[str, str]]) -> list[str]:
    """Distinct seasons of the facts used, in first-use order."""
    return list(dict.fromkeys(f["season"] for f in facts if f.get("season")))


def data_fingerprint() -> str:
    """Changes whenever the season-facts file or the chosen season changes.

    Read through the module attribute so tests (and operators) can point it elsewhere.
    """
    path = eras.DATA_FILE
    try:
        stat = path.stat()
        file_part = f"{path}:{stat.st_mtime_ns}:{stat.st_size}"
    except OSError:
        file_part = f"{path}:missing"
    return f"{file_part}:{getattr(settings, 'MATCHWAY_SEASON', None) or ''}"


def content_hash(body: str) -> str:
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION, data_fingerprint(), body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def format_fact_value(value: Any) -> str | None:
    """Readable text for a scalar fact; None for values that cannot stand in a sentence."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _markdown_literal(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))


def resolve_placeholders(body: str) -> tuple[str, list[FactUse], list[str]]:
    """Replace `{{eras.path}}` with escaped season values (`{{eras.path|season}}` with the
    fact's season label). Never raises."""
    used: dict[str, FactUse] = {}
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        path, wants_season = match.group(1), bool(match.group(2))
        value_text: str | None = None
        try:
            fact = eras.eras_fact(path)
            value_text = format_fact_value(fact.value)
            text = (fact.season.strip() or None) if wants_season else value_text
            if value_text is None:
                text = None  # a fact with no usable value has no season worth naming
        except (eras.UnknownFact, OSError, ValueError, KeyError, TypeError):
            fact, text = None, None
        if fact is None or text is None:
            if path not in unknown:
                unknown.append(path)
                logger.warning("guides: unknown or unusable season fact eras.%s", path)
            title, marker = html.escape(f"eras.{path}"), html.escape(UNKNOWN_MARKER)
            return f'<span class="fact-unknown" title="{title}">{marker}</span>'
        used.setdefault(
            path,
            FactUse(
                path=path,
                value=value_text or "",
                season=fact.season,
                source=fact.source,
                status=fact.status,
            ),
        )
        return _markdown_literal(text)

    return PLACEHOLDER.sub(replace, body), list(used.values()), unknown


def _task_lists(state: StateCore) -> None:
    """`- [ ] item` / `- [x] item` → a labelled, disabled checkbox (GFM task lists)."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or index < 2 or tokens[index - 2].type != "list_item_open":
            continue
        children = token.children or []
        if not children or children[0].type != "text":
            continue
        first = children[0]
        marker = first.content[:4]
        if marker not in ("[ ] ", "[x] ", "[X] "):
            continue
        first.content = first.content[4:]
        checked = " checked" if marker != "[ ] " else ""
        opening = Token("html_inline", "", 0)
        opening.content = (
            f'<label><input class="task-list-item-checkbox" type="checkbox" disabled{checked}> '
        )
        closing = Token("html_inline", "", 0)
        closing.content = "</label>"
        token.children = [opening, *children, closing]
        tokens[index - 2].attrJoin("class", "task-list-item")
        for back in range(index - 3, -1, -1):
            if tokens[back].type in ("bullet_list_open", "ordered_list_open") and (
                tokens[back].level == tokens[index - 2].level - 1
            ):
                tokens[back].attrSet("class", "contains-task-list")
                break


def _demote_h1(state: StateCore) -> None:
    """The page title is the only <h1>; a `#` heading in a body becomes an <h2>."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


# Authors may write raw HTML; the guides allow-list decides what of it survives.
_MD = markdown_parser(allow_html=True, rules=[_task_lists, _demote_h1])


def sanitize(unsafe_html: str) -> str:
    return sanitize_html(unsafe_html, GUIDES_POLICY)


def _drop_broken_images(safe_html: str) -> str:
    """An <img> whose src nh3 removed (data:, javascript:) becomes its alt text."""

    def replace(match: re.Match[str]) -> str:
        attrs = match.group(1)
        if ' src="' in f" {attrs}":
            return match.group(0)
        alt = _ALT.search(attrs)
        return alt.group(1) if alt else ""

    return _IMG.sub(replace, safe_html)


def _add_heading_ids(safe_html: str) -> tuple[str, list[dict[str, Any]]]:
    seen: dict[str, int] = {}
    toc: list[dict[str, Any]] = []

    def add_id(match: re.Match[str]) -> str:
        tag, inner = match.group(1), match.group(2)
        text = html_plain_text(inner)
        base = slugify(text)[:60].strip("-") or "section"
        count = seen.get(base, 0) + 1
        seen[base] = count
        anchor = base if count == 1 else f"{base}-{count}"
        level = int(tag[1])
        if level <= 3:
            toc.append({"level": level, "id": anchor, "text": text})
        # `anchor` is slugified ([a-z0-9-]), so it is safe inside the attribute.
        return f'<{tag} id="{anchor}">{inner}</{tag}>'

    return _HEADING.sub(add_id, safe_html), toc


def render_markdown(body: str) -> Rendered:
    """Render an article body; pure apart from reading the season-facts file."""
    source, facts, unknown = resolve_placeholders(body)
    safe = _drop_broken_images(sanitize(_MD.render(source)))
    with_ids, toc = _add_heading_ids(safe)
    return Rendered(
        html=with_ids,
        toc=toc,
        facts=[asdict(f) for f in facts],
        text=html_plain_text(safe),
        unknown=unknown,
    )
