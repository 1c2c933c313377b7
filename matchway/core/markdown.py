"""The one Markdown pipeline: markdown-it-py renders, nh3 sanitizes with an allow-list.

Used for rotation descriptions (the defaults below) and for guides (which widen the
allow-list and add their own token rules, heading ids and table of contents on top, in
`matchway.guides.rendering`).

Sanitizing after rendering is the belt-and-braces step: a Markdown quirk or raw HTML an
author typed can never smuggle a script, an event handler or a `javascript:` link through.
Link validation in markdown-it is switched off on purpose, so a refused target does not
linger as "[text](url)" text; nh3 (`url_schemes`) drops bad targets and keeps the text.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

BASE_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code",
        "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th",
        "td",
    }
)  # fmt: skip
BASE_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "ol": frozenset({"start"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with their content (not just the tags), so no script text is shown.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "svg", "math", "object", "template"})

CoreRule = Callable[[StateCore], None]

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[2-6]|td|th|blockquote|pre|dd|dt)>|<br\s*/?>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SanitizePolicy:
    """What survives nh3: tags, attributes per tag, classes per tag, forced attributes."""

    tags: frozenset[str] = BASE_TAGS
    attributes: Mapping[str, frozenset[str]] = field(default_factory=lambda: BASE_ATTRIBUTES)
    classes: Mapping[str, frozenset[str]] | None = None
    forced_attributes: Mapping[str, Mapping[str, str]] | None = None


DEFAULT_POLICY = SanitizePolicy()


def shift_headings(state: StateCore) -> None:
    """Markdown sits inside a page that has its own <h1>: every heading goes one level down
    (# → h2 … ##### → h6), so the document outline stays valid."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def markdown_parser(*, allow_html: bool = False, rules: Sequence[CoreRule] = ()) -> MarkdownIt:
    """CommonMark + tables + strikethrough; `rules` are pushed as core rules, in order.

    `allow_html` lets authors' raw HTML through to the sanitizer (guides); off, it is
    shown as text (rotation descriptions).
    """
    md = MarkdownIt("commonmark", {"html": allow_html, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    for rule in rules:
        md.core.ruler.push(rule.__name__.strip("_"), rule)
    return md


def sanitize_html(unsafe_html: str, policy: SanitizePolicy = DEFAULT_POLICY) -> str:
    """Keep only the policy's allow-list; every link gets rel="noopener noreferrer"."""
    return nh3.clean(
        unsafe_html,
        tags=set(policy.tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in policy.attributes.items()},
        allowed_classes=(
            {tag: set(names) for tag, names in policy.classes.items()} if policy.classes else None
        ),
        set_tag_attribute_values=(
            {tag: dict(values) for tag, values in policy.forced_attributes.items()}
            if policy.forced_attributes
            else None
        ),
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def html_plain_text(fragment: str) -> str:
    """Text of an HTML fragment, one space between blocks (search, excerpts, meta tags)."""
    spaced = _BLOCK_END.sub(lambda m: m.group(0) + " ", fragment)
    return _SPACE.sub(" ", html_lib.unescape(_TAG.sub("", spaced))).strip()


_DEFAULT_PARSER = markdown_parser(rules=[shift_headings])
# For excerpts raw HTML is parsed (then stripped by the sanitizer) rather than shown as text.
_EXCERPT_PARSER = markdown_parser(allow_html=True)


def markdown_to_html(text: str) -> SafeString:
    """Render coordinator-written Markdown as sanitized HTML, safe to output unescaped."""
    if not text or not text.strip():
        return mark_safe("")
    return mark_safe(sanitize_html(_DEFAULT_PARSER.render(text)))  # sanitized just now


def markdown_excerpt(text: str, length: int = 220) -> str:
    """Plain-text summary of a Markdown body (meta descriptions, catalog cards)."""
    plain = html_plain_text(sanitize_html(_EXCERPT_PARSER.render(text or "")))
    if len(plain) <= length:
        return plain
    return plain[: length - 1].rsplit(" ", 1)[0] + "…"
